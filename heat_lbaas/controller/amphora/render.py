"""The HAProxy configuration of one load balancer, rendered from its object tree.

The tree is first turned into a small render model (plain dicts of ids, addresses,
numbers and pattern-checked strings), then into text by templates/haproxy.cfg.j2.
"""
from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.controller import model
from heat_lbaas.controller.amphora import jinja_env
from heat_lbaas.controller.amphora import l7_render
from heat_lbaas.controller.amphora import tls_render

BALANCE = {'ROUND_ROBIN': 'roundrobin', 'LEAST_CONNECTIONS': 'leastconn',
           'SOURCE_IP': 'source',
           # Hash of address and port; the template sets txn.src_port first.
           'SOURCE_IP_PORT': 'hash src,concat(:,txn.src_port)'}
SEND_PROXY = {'PROXY': 'send-proxy', 'PROXYV2': 'send-proxy-v2'}
# Listener and pool protocols HAProxy handles in HTTP mode; the others pass TCP through.
HTTP_MODE_PROTOCOLS = ('HTTP', 'TERMINATED_HTTPS', 'PROMETHEUS')
LIVE = ('ACTIVE', 'PENDING_CREATE', 'PENDING_UPDATE', 'ERROR')
CIDRS_PER_LINE = 50


def expected_codes_regex(codes):
    """'200' -> ^(200)$, '200,202' -> ^(200|202)$, '200-204' -> ^(200|201|...|204)$"""
    return '^(%s)$' % '|'.join(str(code) for code in model.expected_status_codes(codes))


def _is_live(row):
    return row['provisioning_status'] in LIVE


def _live(rows):
    return [r for r in rows if r['provisioning_status'] in LIVE]


def _proxied_listeners(tree):
    """The live listeners HAProxy serves: UDP and SCTP ones are keepalived's (LVS)."""
    return [listener for listener in _live(tree.listeners)
            if listener['protocol'] not in octavia.LVS_PROTOCOLS]


def host(address):
    """An address as HAProxy reads it before ':port' or alone (`addr`): normalised
    (the API keeps it as the user wrote it), IPv6 in brackets, since HAProxy takes
    the last ':' of a bare IPv6 address as the port."""
    address = model.normalised_address(address)
    return '[%s]' % address if ':' in address else address


def cidr_lines(cidrs):
    """The CIDRs in groups small enough for one HAProxy line (at most
    MAX_LINE_ARGS = 64 words; 'acl <name> src' takes three)."""
    return [cidrs[i:i + CIDRS_PER_LINE] for i in range(0, len(cidrs), CIDRS_PER_LINE)]


def _ms(milliseconds):
    return '%dms' % milliseconds


def _mode(protocol):
    return 'http' if protocol in HTTP_MODE_PROTOCOLS else 'tcp'


def _check(hm):
    if hm is None or not hm['admin_state_up']:
        return None
    return {
        'type': hm['type'],
        'timeout': '%ds' % max(hm['timeout'], 1),
        'http_method': hm['http_method'] or 'GET',
        'url_path': hm['url_path'] or '/',
        'http_version': hm['http_version'] or '1.0',
        'domain_name': hm['domain_name'],
        'expected_codes_regex': expected_codes_regex(hm['expected_codes']),
        'inter': '%ds' % max(hm['delay'], 1),
        'fall': hm['max_retries_down'],
        'rise': hm['max_retries'],
    }


def _server(member, check, cookie, tls_enabled):
    return {
        # A TLS-enabled pool's checks use the server's own TLS options (verify ...).
        'check_ssl': bool(check) and (check['type'] == 'HTTPS' or tls_enabled),
        'check_verify_none': not tls_enabled,
        'id': member['id'], 'address': host(member['address']),
        'port': member['protocol_port'], 'weight': member['weight'],
        'backup': member['backup'], 'disabled': not member['admin_state_up'],
        'check': check is not None,
        'check_inter': check and check['inter'], 'fall': check and check['fall'],
        'rise': check and check['rise'],
        'monitor_address': member['monitor_address'] and host(
            member['monitor_address']),
        'monitor_port': member['monitor_port'],
        'cookie': cookie,
    }


def backend_name(pool_id, listener_id):
    # One backend per (pool, listener): the listener carries the member timeouts.
    return '%s:%s' % (pool_id, listener_id)


def _backend(tree, pool, listener, certificate_paths):
    check = _check(tree.healthmonitor_of(pool['id']))
    persistence = pool['session_persistence'] or {}
    mode = _mode(listener['protocol'])
    return {
        'name': backend_name(pool['id'], listener['id']),
        'mode': mode,
        'balance': BALANCE[pool['lb_algorithm']],
        'disabled': not pool['admin_state_up'],
        'timeout_connect': _ms(listener['timeout_member_connect']),
        'timeout_server': _ms(listener['timeout_member_data']),
        'persistence': persistence.get('type') if mode == 'http' or
        persistence.get('type') == 'SOURCE_IP' else None,
        'cookie_name': persistence.get('cookie_name'),
        'check': check,
        # PROXY pools: members get the client's address in a PROXY protocol header.
        'send_proxy': SEND_PROXY.get(pool['protocol']),
        'server_tls': tls_render.server_options(pool, certificate_paths, bool(check)),
        'servers': [_server(m, check, persistence.get('type') == 'HTTP_COOKIE',
                            pool['tls_enabled'])
                    for m in _live(tree.members_of(pool['id']))],
    }


def _frontend(tree, listener, pools, certificate_paths):
    headers = {k: str(v).lower() == 'true'
               for k, v in (listener['insert_headers'] or {}).items()}
    pool = pools.get(listener['default_pool_id'])
    limit = listener['connection_limit']
    return {
        'id': listener['id'],
        'mode': _mode(listener['protocol']),
        'bind_tls': tls_render.bind_options(listener, certificate_paths),
        'hsts': tls_render.hsts_header(listener),
        'allowed_cidr_lines': cidr_lines(listener['allowed_cidrs'] or []),
        'bind': '%s:%d' % (host(tree.loadbalancer['vip_address']),
                           listener['protocol_port']),
        'maxconn': limit if limit and limit > 0 else None,
        'disabled': not listener['admin_state_up'],
        'timeout_client': _ms(listener['timeout_client_data']),
        'timeout_tcp_inspect': _ms(listener['timeout_tcp_inspect']),
        'forwardfor': headers.get('X-Forwarded-For', False),
        'forwarded_port': headers.get('X-Forwarded-Port', False),
        'forwarded_proto': headers.get('X-Forwarded-Proto', False) and (
            'https' if listener['protocol'] == 'TERMINATED_HTTPS' else 'http'),
        'default_backend': backend_name(pool['id'], listener['id']) if pool else None,
        # Octavia's PROMETHEUS listener: the amphora's metrics at /metrics.
        'prometheus': listener['protocol'] == 'PROMETHEUS',
        **l7_render.frontend_lines(tree, listener, pools, _is_live, backend_name),
    }


def _backend_pairs(tree, pools, listeners):
    """(pool, listener) of every backend: default pools and L7 redirect pools."""
    pairs = [(pools[listener['default_pool_id']], listener)
             for listener in listeners if listener['default_pool_id'] in pools]
    # L7 policies send to other pools: each (pool, listener) pair gets its backend.
    pairs += [(pools[pool_id], listener) for listener in listeners
              for pool_id in l7_render.redirect_pool_ids(tree, listener, pools, _is_live)
              if pool_id != listener['default_pool_id']]
    return pairs


def certificate_refs(tree):
    """(kind, container reference) of every file the configuration uses."""
    pools = {p['id']: p for p in _live(tree.pools)}
    listeners = _proxied_listeners(tree)
    refs = {ref for listener in listeners for ref in tls_render.listener_refs(listener)}
    refs |= {ref for pool, _ in _backend_pairs(tree, pools, listeners)
             for ref in tls_render.pool_refs(pool)}
    return refs


def render_model(tree, stats_socket, certificate_paths=None, ping_command=None):
    certificate_paths = certificate_paths or {}
    pools = {p['id']: p for p in _live(tree.pools)}
    listeners = _proxied_listeners(tree)
    backends = [_backend(tree, pool, listener, certificate_paths)
                for pool, listener in _backend_pairs(tree, pools, listeners)]
    return {
        'loadbalancer_id': tree.loadbalancer['id'],
        # Each connection takes two descriptors; this stays under common ulimits.
        'maxconn': 4000,
        'stats_socket': stats_socket,
        'frontends': [_frontend(tree, listener, pools, certificate_paths)
                      for listener in listeners],
        'ping_command': ping_command,
        'external_checks': any(b['check'] and b['check']['type'] == 'PING'
                               for b in backends),
        'backends': backends,
    }


def render(tree, stats_socket, certificate_paths=None, ping_command=None):
    """The configuration text, or None when the load balancer serves nothing."""
    model = render_model(tree, stats_socket, certificate_paths, ping_command)
    if not model['frontends'] or not tree.loadbalancer['admin_state_up']:
        return None
    return jinja_env.ENVIRONMENT.get_template('haproxy.cfg.j2').render(**model)
