"""Octavia's API rules for UDP and SCTP listeners, pools and health monitors (the
protocols Octavia serves with keepalived's LVS virtual servers), with Octavia 19's
messages (octavia/api/v2/controllers/{listener,pool,health_monitor}.py and its
amphora provider driver). Whether the chosen driver serves these protocols at all
is asked afterwards, by api/capabilities.py."""
import ipaddress

from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.controller import errors

# "UDP/SCTP", as Octavia's messages name them.
LVS_NAMES = '/'.join(octavia.LVS_PROTOCOLS)
# Server certificates: what makes a listener terminate TLS.
TLS_REFERENCES = ('default_tls_container_ref', 'sni_container_refs')
PERSISTENCE_FIELDS = ('type', 'persistence_timeout', 'persistence_granularity')
# keepalived's range of persistence_timeout (seconds; 31 days). Octavia takes any
# integer and renders it, which keepalived then refuses; 0 means Octavia's default.
MAX_PERSISTENCE_TIMEOUT = 31 * 24 * 3600


def is_lvs(protocol):
    return protocol in octavia.LVS_PROTOCOLS


def check_listener(protocol, values, update=False):
    """No inserted headers and no TLS on UDP and SCTP listeners."""
    if not is_lvs(protocol):
        return
    headers = bool(values.get('insert_headers'))
    tls = any(values.get(name) for name in TLS_REFERENCES)
    if update and (headers or tls):
        raise errors.ValidationFailure(
            '%s protocol listener does not support TLS or header insertion.' % protocol)
    if headers:
        # On create Octavia checks the headers against the protocol first.
        raise errors.ApiError('insert-headers is not a valid option for a %s protocol '
                              'listener.' % protocol)
    if tls:
        raise errors.ValidationFailure('%s protocol listener does not support TLS.'
                                       % protocol)


def check_persistence_values(persistence):
    """The types of persistence_timeout and persistence_granularity (Octavia's
    schema: an integer and an IP address), where keepalived reads them: seconds
    within its range, a netmask. Returns them normalised (None when not given)."""
    timeout = persistence.get('persistence_timeout')
    if timeout is not None:
        if isinstance(timeout, bool) or not isinstance(timeout, int):
            raise errors.InvalidInput('persistence_timeout', timeout,
                                      "Wrong type. Expected '<class 'int'>', got '%s'"
                                      % type(timeout))
        if not 0 <= timeout <= MAX_PERSISTENCE_TIMEOUT:
            raise errors.InvalidInput(
                'persistence_timeout', timeout, 'Value should be between 0 and %d'
                % MAX_PERSISTENCE_TIMEOUT)
    granularity = persistence.get('persistence_granularity')
    if granularity is not None:
        granularity = _netmask(granularity)
    return timeout, granularity


def _netmask(value):
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        address = ipaddress.ip_address(value)
        # A netmask: its leading bits set, the others clear.
        clear = ~int(address) & ((1 << address.max_prefixlen) - 1)
        if clear & (clear + 1):
            raise ValueError(value)
    except ValueError:
        raise errors.InvalidInput('persistence_granularity', value,
                                  'Value should be an IPv4 or IPv6 netmask')
    return str(address)


def check_persistence(protocol, persistence, update=False):
    """Which session persistence a pool of `protocol` takes (Octavia's pool rules)."""
    kind = persistence.get('type')
    if is_lvs(protocol):
        if kind == octavia.SOURCE_IP_PERSISTENCE and any(
                value for name, value in persistence.items()
                if name not in PERSISTENCE_FIELDS):
            raise errors.ValidationFailure(
                'session_persistence %s type for UDP and SCTP protocols only accepts: '
                'type, persistence_timeout, persistence_granularity.' % kind)
        if persistence.get('cookie_name'):
            raise errors.ValidationFailure('Cookie names are not supported for %s '
                                           'pools.' % LVS_NAMES)
        if kind in octavia.COOKIE_PERSISTENCE_TYPES:
            raise errors.ValidationFailure(
                'Session persistence of type %s is not supported for %s protocol '
                'pools.' % (kind, LVS_NAMES))
    elif (persistence.get('persistence_timeout') or
          persistence.get('persistence_granularity')):
        # Octavia's update says "UDP" where its create says "UDP and SCTP".
        raise errors.ValidationFailure(
            'persistence_timeout and persistence_granularity is only for %s protocol '
            'pools.' % ('UDP' if update else 'UDP and SCTP'))


def check_monitor(monitor_type, delay, pool_protocol, min_udp_delay):
    """Which monitors a pool of `pool_protocol` takes; UDP-CONNECT's smallest delay
    ([api_settings] udp_connect_min_interval_health_monitor; delay None: unchanged)."""
    if not is_lvs(pool_protocol):
        if monitor_type in octavia.LVS_MONITOR_TYPES:
            raise errors.ValidationFailure(
                'The %s type is only supported for pools of type %s.'
                % (monitor_type, LVS_NAMES))
        return
    if monitor_type not in octavia.LVS_POOL_MONITOR_TYPES:
        raise errors.ValidationFailure(
            'The associated pool protocol is %s, so only a %s health monitor is '
            'supported.' % (pool_protocol, '/'.join(octavia.LVS_POOL_MONITOR_TYPES)))
    if (monitor_type == octavia.UDP_CONNECT and delay is not None and
            delay < min_udp_delay):
        raise errors.ValidationFailure(
            'The request delay value %s should be larger than %s for %s health monitor '
            'type.' % (delay, min_udp_delay, octavia.UDP_CONNECT))


def check_member_ip_versions(pool_protocol, addresses, vip_addresses, provider):
    """The amphora provider's rule for UDP and SCTP pools used by a listener: each
    member of an IP version some VIP has (501 otherwise)."""
    if not is_lvs(pool_protocol) or not vip_addresses:
        return
    vip_versions = {ipaddress.ip_address(vip).version for vip in vip_addresses}
    if any(ipaddress.ip_address(a).version not in vip_versions for a in addresses):
        raise errors.ProviderUnsupported(
            provider, "This provider doesn't support mixing IPv4 and IPv6 addresses for "
                      "its VIP and members in %s load balancers." % pool_protocol)
