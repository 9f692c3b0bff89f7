"""Rules between the properties of one object that Octavia enforces only when asked.

Each function takes the object's properties as a plain dict (Heat property names) and
returns the first rule it breaks as a message naming the property, or None. Pure, so each
rule is unit-tested on its own; the resources raise the message from validate(), so
`openstack orchestration template validate` reports it before anything is created, and
LBaaS::LoadBalancerTree applies the same rules to the objects nested in it.
"""
from heat_lbaas import octavia_vocabulary as octavia

HTTP_MONITOR_ONLY = ('http_method', 'url_path', 'expected_codes', 'http_version',
                     'domain_name')

# The property each L7 action redirects with; the others must be absent.
REDIRECT_PROPERTY_OF_ACTION = {
    'REDIRECT_TO_POOL': 'redirect_pool',
    'REDIRECT_TO_URL': 'redirect_url',
    'REDIRECT_PREFIX': 'redirect_prefix',
}

TERMINATED_HTTPS = octavia.TERMINATED_HTTPS
# Listener properties that only mean something when the listener terminates TLS.
TLS_TERMINATION_ONLY = ('sni_container_refs', 'client_ca_tls_container_ref',
                        'client_crl_container_ref', 'tls_ciphers', 'tls_versions',
                        'alpn_protocols', 'hsts_max_age')


def _given(props, name):
    value = props.get(name)
    return value not in (None, '', [], {})


def _required_when(name, condition):
    return 'Property %s is required when %s.' % (name, condition)


def _only_when(name, condition):
    return 'Property %s is only allowed when %s.' % (name, condition)


def load_balancer_problem(props):
    """The VIP comes from a subnet, a network or an existing port: at least one."""
    if not any(_given(props, name) for name in ('vip_subnet', 'vip_network', 'vip_port')):
        return 'One of the properties vip_subnet, vip_network or vip_port is required.'
    return None


# Octavia's protocols; Heat's own types also accept PROXY for a listener and
# TERMINATED_HTTPS for a pool, which Octavia refuses. Checked here as well as by the
# schema, because template validate checks the schema without values.
def _unknown_protocol(kind, protocol, allowed):
    if protocol is not None and protocol not in allowed:
        return 'Property protocol: Octavia refuses %s for a %s (allowed: %s).' % (
            protocol, kind, ', '.join(allowed))
    return None


def listener_problem(props):
    protocol = props.get('protocol')
    unknown = _unknown_protocol('listener', protocol, octavia.LISTENER_PROTOCOLS)
    if unknown:
        return unknown
    terminated = 'protocol is %s' % TERMINATED_HTTPS
    if protocol == TERMINATED_HTTPS:
        if not _given(props, 'default_tls_container_ref'):
            return _required_when('default_tls_container_ref', terminated)
    else:
        for name in ('default_tls_container_ref',) + TLS_TERMINATION_ONLY:
            if _given(props, name):
                return _only_when(name, terminated)
    if props.get('client_authentication') not in (None, 'NONE') and not _given(
            props, 'client_ca_tls_container_ref'):
        return _required_when('client_ca_tls_container_ref',
                              'client_authentication is %s'
                              % props['client_authentication'])
    if _given(props, 'client_crl_container_ref') and not _given(
            props, 'client_ca_tls_container_ref'):
        return _required_when('client_ca_tls_container_ref',
                              'client_crl_container_ref is given')
    for name in ('hsts_include_subdomains', 'hsts_preload'):
        if props.get(name) and props.get('hsts_max_age') is None:
            return _required_when('hsts_max_age', '%s is true' % name)
    if (_given(props, 'insert_headers')
            and protocol not in octavia.INSERT_HEADERS_PROTOCOLS):
        return _only_when('insert_headers', 'protocol is one of %s'
                          % ', '.join(octavia.INSERT_HEADERS_PROTOCOLS))
    return None


def pool_problem(props, parent_implied=False):
    """`parent_implied`: the pool is nested in a load balancer tree."""
    unknown = _unknown_protocol('pool', props.get('protocol'), octavia.POOL_PROTOCOLS)
    if unknown:
        return unknown
    if not parent_implied and not (_given(props, 'listener')
                                   or _given(props, 'loadbalancer')):
        return 'Either property listener or property loadbalancer is required.'
    persistence = props.get('session_persistence') or {}
    kind = persistence.get('type')
    if kind == octavia.APP_COOKIE and not persistence.get('cookie_name'):
        return _required_when('session_persistence.cookie_name',
                              'session_persistence type is %s' % octavia.APP_COOKIE)
    if kind and kind != octavia.APP_COOKIE and persistence.get('cookie_name'):
        return _only_when('session_persistence.cookie_name',
                          'session_persistence type is %s' % octavia.APP_COOKIE)
    if not props.get('tls_enabled'):
        for name in ('tls_ciphers', 'tls_versions', 'alpn_protocols'):
            if _given(props, name):
                return _only_when(name, 'tls_enabled is true')
    if _given(props, 'crl_container_ref') and not _given(props, 'ca_tls_container_ref'):
        return _required_when('ca_tls_container_ref', 'crl_container_ref is given')
    return None


def health_monitor_problem(props):
    kind = props.get('type')
    if kind not in octavia.HTTP_MONITOR_TYPES:
        for name in HTTP_MONITOR_ONLY:
            if _given(props, name):
                return _only_when(name, 'type is HTTP or HTTPS')
    if _given(props, 'domain_name') and props.get('http_version') != 1.1:
        return _required_when('http_version 1.1', 'domain_name is given')
    # Octavia checks this for UDP health checks only.
    if (kind == octavia.UDP_CONNECT and props.get('timeout') is not None
            and props.get('delay') is not None and props['timeout'] > props['delay']):
        return 'Property timeout (%s) must not exceed property delay (%s) when type is ' \
            'UDP-CONNECT.' % (props['timeout'], props['delay'])
    return None


def l7_policy_problem(props):
    action = props.get('action')
    needed = REDIRECT_PROPERTY_OF_ACTION.get(action)
    if needed and not _given(props, needed):
        return _required_when(needed, 'action is %s' % action)
    for name in REDIRECT_PROPERTY_OF_ACTION.values():
        if name != needed and _given(props, name):
            return _only_when(name, 'action is %s' % next(
                a for a, p in REDIRECT_PROPERTY_OF_ACTION.items() if p == name))
    if (props.get('redirect_http_code') is not None
            and action not in octavia.HTTP_REDIRECT_ACTIONS):
        return _only_when('redirect_http_code',
                          'action is %s' % ' or '.join(octavia.HTTP_REDIRECT_ACTIONS))
    return None


def l7_rule_problem(props):
    rule_type = props.get('type')
    compare_type = props.get('compare_type')
    if rule_type in octavia.RULE_TYPES_WITH_KEY:
        if not _given(props, 'key'):
            return _required_when('key', 'type is %s' % rule_type)
        if (rule_type == octavia.SSL_DN_FIELD
                and props['key'].upper() not in octavia.SSL_DN_FIELDS):
            return 'Property key must name a distinguished name field (%s).' % (
                ', '.join(octavia.SSL_DN_FIELDS))
    elif _given(props, 'key'):
        return _only_when('key', 'type is one of %s'
                          % ', '.join(octavia.RULE_TYPES_WITH_KEY))
    allowed = octavia.COMPARE_TYPES_BY_RULE_TYPE.get(rule_type)
    if allowed and compare_type not in allowed:
        return 'Property compare_type must be one of %s when type is %s.' % (
            ', '.join(allowed), rule_type)
    return None


def member_list_problem(members):
    """Members of one pool: each address:port once (the batch update matches by it)."""
    seen = set()
    for member in members or ():
        if not member.get('address') or not member.get('protocol_port'):
            # Not known before create (a server's address): Heat validates with
            # placeholders ('' and 0) for attributes of resources not created yet.
            continue
        # Compared as text: a port given as a string ("80") is the same member.
        key = octavia.member_identity_text(octavia.member_identity(member))
        if key in seen:
            return 'Property members lists %s more than once.' % key
        seen.add(key)
    return None


def _named_problem(where, problem):
    return '%s: %s' % (where, problem) if problem else None


def _first(problems):
    return next((problem for problem in problems if problem), None)


def load_balancer_tree_problem(listeners, pools):
    """The listeners and pools of one fully populated create: every nested object by
    its own rules, unique names, and every pool a listener or policy names defined.

    Messages start with the path of the object, e.g. "listeners[0].l7policies[1]".
    """
    listeners, pools = listeners or [], pools or []
    pool_names = [pool.get('name') for pool in pools]
    problems = []
    for i, pool in enumerate(pools):
        where = 'pools[%d]' % i
        problems.append(_named_problem(where, pool_problem(pool, parent_implied=True)))
        problems.append(_named_problem(where, member_list_problem(pool.get('members'))))
        if pool.get('healthmonitor'):
            problems.append(_named_problem(
                where + '.healthmonitor', health_monitor_problem(pool['healthmonitor'])))
        if pool.get('name') is not None and pool_names.count(pool['name']) > 1:
            problems.append('%s: Pool name %s is used more than once.' % (
                where, pool['name']))
    listener_names = [listener.get('name') for listener in listeners]
    for i, listener in enumerate(listeners):
        where = 'listeners[%d]' % i
        problems.append(_named_problem(where, listener_problem(listener)))
        if listener.get('name') is not None and listener_names.count(
                listener['name']) > 1:
            problems.append('%s: Listener name %s is used more than once.' % (
                where, listener['name']))
        problems.append(_named_problem(
            where, _undefined_pool('default_pool', listener.get('default_pool'),
                                   pool_names)))
        for j, policy in enumerate(listener.get('l7policies') or ()):
            policy_where = '%s.l7policies[%d]' % (where, j)
            problems.append(_named_problem(policy_where, l7_policy_problem(policy)))
            problems.append(_named_problem(policy_where, _undefined_pool(
                'redirect_pool', policy.get('redirect_pool'), pool_names)))
            for k, rule in enumerate(policy.get('rules') or ()):
                problems.append(_named_problem(
                    '%s.rules[%d]' % (policy_where, k), l7_rule_problem(rule)))
    return _first(problems)


def _undefined_pool(prop, name, pool_names):
    if name is not None and name not in pool_names:
        return 'Property %s names pool %s, which is not in pools.' % (prop, name)
    return None
