"""The keepalived configuration of one load balancer's UDP and SCTP listeners: one
LVS virtual server per listener with a default pool, one real server per member,
as Octavia's amphora renders them (octavia/common/jinja/lvs), by
templates/keepalived_lvs.cfg.j2.

keepalived programs the kernel's IPVS with it, inside the amphora's network
namespace (`net_namespace`): members are reached by NAT, and checked by keepalived
itself (MISC_CHECK running lvs_check.py for UDP-CONNECT, HTTP_GET, TCP_CHECK).
This module only renders: the haproxy driver serves UDP with nftables instead
(nft_render.py, udp_dataplane.py), since the kernels it runs on here have no IPVS.
"""
import ipaddress
import re
import sys

from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.controller.amphora import jinja_env

# Objects in these states are in the configuration (as in the HAProxy one).
LIVE = ('ACTIVE', 'PENDING_CREATE', 'PENDING_UPDATE', 'ERROR')
# IPVS schedulers (Octavia's BALANCE_MAP, with SOURCE_IP_PORT as source hashing
# over address and port: keepalived's sh-port flag).
SCHEDULERS = {'ROUND_ROBIN': 'wrr', 'LEAST_CONNECTIONS': 'lc', 'SOURCE_IP': 'sh',
              'SOURCE_IP_PORT': 'sh'}
# Octavia's template's defaults for SOURCE_IP persistence (seconds; whole address).
DEFAULT_PERSISTENCE_TIMEOUT = 360
# The UDP-CONNECT check keepalived runs, followed by: udp TIMEOUT ADDRESS PORT.
UDP_CHECK_COMMAND = (sys.executable, '-m', 'heat_lbaas.controller.amphora.lvs_check')
# Words of a MISC_CHECK's misc_path: nothing that ends the quoted string or starts
# a comment or a variable.
SAFE_WORD = re.compile(r'[A-Za-z0-9_./:=+-]+')


def _live(rows):
    return [row for row in rows if row['provisioning_status'] in LIVE]


def _prefix_length(netmask):
    """The leading bits a netmask (as the API checked it) keeps."""
    return bin(int(ipaddress.ip_address(netmask))).count('1')


def _granularity(persistence, vip_version):
    """keepalived's persistence_granularity: a netmask for an IPv4 VIP, a prefix
    length for IPv6; Octavia's default is the whole address."""
    given = persistence.get('persistence_granularity')
    bits = 32 if vip_version == 4 else 128
    if given:
        bits = min(bits, _prefix_length(given))
    if vip_version == 4:
        return str(ipaddress.IPv4Network('0.0.0.0/%d' % bits).netmask)
    return str(bits)


def _expected_codes(codes):
    if '-' in codes:
        low, high = (int(c) for c in codes.split('-'))
        return list(range(low, high + 1))
    return [int(c) for c in codes.split(',')]


def _enabled_monitor(tree, pool):
    monitor = tree.healthmonitor_of(pool['id'])
    if monitor is None or monitor['provisioning_status'] not in LIVE or \
            not monitor['admin_state_up']:
        return None
    return monitor


def _check(monitor, member, check_command):
    """The real server's check block of `monitor` (None: no check)."""
    if monitor is None:
        return None
    address = member['monitor_address'] or member['address']
    port = member['monitor_port'] or member['protocol_port']
    kind = monitor['type']
    check = {'type': kind, 'address': address, 'port': port,
             'timeout': monitor['timeout']}
    if kind == octavia.UDP_CONNECT:
        words = [*check_command, 'udp', str(monitor['timeout']), address, str(port)]
        if not all(SAFE_WORD.fullmatch(word) for word in words):
            raise ValueError('unsafe check command: %r' % (words,))
        # keepalived's own timeout only after the check's.
        return dict(check, misc_path=' '.join(words), misc_timeout=monitor['timeout'] + 1)
    if kind == 'HTTP':
        # As Octavia: keepalived's HTTP_GET, only for GET monitors.
        if (monitor['http_method'] or 'GET') != 'GET':
            return None
        return dict(check, url_path=monitor['url_path'] or '/',
                    status_codes=_expected_codes(monitor['expected_codes'] or '200'))
    if kind == 'TCP':
        return check
    # SCTP: Octavia runs its amphora-health-checker (an SCTP INIT); not written here.
    raise NotImplementedError('no keepalived check for %s monitors yet' % kind)


def _virtual_server(tree, listener, pool, vip, check_command):
    vip_version = ipaddress.ip_address(vip).version
    monitor = _enabled_monitor(tree, pool)
    persistence = pool['session_persistence'] or {}
    source_ip = persistence.get('type') == octavia.SOURCE_IP_PERSISTENCE
    limit = listener['connection_limit']
    members = [m for m in _live(tree.members_of(pool['id']))
               if ipaddress.ip_address(m['address']).version == vip_version]
    return {
        'listener_id': listener['id'], 'pool_id': pool['id'],
        'address': vip, 'port': listener['protocol_port'],
        'protocol': listener['protocol'],
        'scheduler': SCHEDULERS[pool['lb_algorithm']],
        'hash_port': pool['lb_algorithm'] == 'SOURCE_IP_PORT',
        'persistence_timeout': (persistence.get('persistence_timeout') or
                                DEFAULT_PERSISTENCE_TIMEOUT) if source_ip else None,
        'persistence_granularity': _granularity(persistence, vip_version)
        if source_ip else None,
        'delay': monitor and monitor['delay'],
        'retry': monitor and monitor['max_retries_down'],
        'pool_enabled': pool['admin_state_up'],
        'real_servers': [{
            'id': m['id'], 'address': m['address'], 'port': m['protocol_port'],
            'weight': m['weight'], 'enabled': m['admin_state_up'],
            'uthreshold': limit if limit and limit > 0 else None,
            'check': _check(monitor, m, check_command),
        } for m in members],
    }


def render_model(tree, namespace=None, check_command=UDP_CHECK_COMMAND):
    pools = {p['id']: p for p in _live(tree.pools)}
    vip = tree.loadbalancer['vip_address']
    # A listener without a default pool, or disabled, has no virtual server (Octavia).
    servers = [_virtual_server(tree, listener, pools[listener['default_pool_id']], vip,
                               check_command)
               for listener in _live(tree.listeners)
               if listener['protocol'] in octavia.LVS_PROTOCOLS
               and listener['admin_state_up'] and listener['default_pool_id'] in pools]
    return {'loadbalancer_id': tree.loadbalancer['id'], 'namespace': namespace,
            'virtual_servers': servers}


def render(tree, namespace=None, check_command=UDP_CHECK_COMMAND):
    """The keepalived configuration text, or None when there is no virtual server."""
    model = render_model(tree, namespace, check_command)
    if not model['virtual_servers'] or not tree.loadbalancer['admin_state_up']:
        return None
    return jinja_env.ENVIRONMENT.get_template('keepalived_lvs.cfg.j2').render(**model)
