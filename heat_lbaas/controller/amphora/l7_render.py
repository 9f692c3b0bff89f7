"""A listener's L7 policies as HAProxy frontend lines, after Octavia's template
(octavia/common/jinja/haproxy/combined_listeners/templates/macros.j2).

One `acl` per rule, named by the rule id; a policy's rules are ANDed on its action
line, `!` inverting a rule. Policies without enabled rules, or disabled, are left out,
as Octavia does. The action keywords are Octavia's, so HAProxy gives them Octavia's
precedence: every REJECT (`http-request deny`) first, then redirects, then
REDIRECT_TO_POOL (`use_backend`), each group in position order.

Where Octavia's lines would not mean what the API says, they differ:
- HOST_NAME drops a port from the Host header (`field(1,:)`), so `example.com`
  matches `Host: example.com:8080`, as a client sends it for a non-default port.
- FILE_TYPE tests the extension: EQUAL_TO `jpg` is `path -m end .jpg` and REGEX
  `jpg|png` is `path -m reg \\.(jpg|png)$` (Octavia's `path_end -m str jpg` compares
  the whole path with `jpg`, so it never matches).
- `--` ends the flags before every value, so a value starting with '-' stays a value.
Values are checked by api/l7_validation.py; the only character needing an escape is
the backslash of a regular expression.
"""
COMPARE_FLAGS = {'REGEX': '-m reg', 'STARTS_WITH': '-m beg', 'ENDS_WITH': '-m end',
                 'CONTAINS': '-m sub', 'EQUAL_TO': '-m str'}


def escape(value):
    # HAProxy reads '\\' as one backslash in an unquoted word.
    return value.replace('\\', '\\\\')


def _fetch_flags_value(rule):
    rule_type, compare = rule['type'], rule['compare_type']
    value = rule['value']
    if rule_type == 'HOST_NAME':
        return 'req.hdr(host),field(1,:)', '-i ' + COMPARE_FLAGS[compare], value
    if rule_type == 'PATH':
        return 'path', COMPARE_FLAGS[compare], value
    if rule_type == 'FILE_TYPE':
        if compare == 'REGEX':
            return 'path', '-m reg', r'\.(%s)$' % value
        return 'path', '-m end', '.' + value.lstrip('.')
    if rule_type == 'HEADER':
        return 'req.hdr(%s)' % rule['key'], COMPARE_FLAGS[compare], value
    if rule_type == 'COOKIE':
        return 'req.cook(%s)' % rule['key'], COMPARE_FLAGS[compare], value
    raise ValueError('L7 rule type %s cannot be rendered' % rule_type)


def regex_of(rule):
    """The regular expression HAProxy compiles for a REGEX rule."""
    return _fetch_flags_value(rule)[2]


def caseless(rule):
    return '-i ' in _fetch_flags_value(rule)[1]


def acl_line(rule):
    fetch, flags, value = _fetch_flags_value(rule)
    return 'acl %s %s %s -- %s' % (rule['id'], fetch, flags, escape(value))


def condition(rules):
    return ' '.join(('!' if r['invert'] else '') + r['id'] for r in rules)


def action_line(policy, rules, backend=None):
    """The policy's action line; `backend` names the redirect pool's backend."""
    action, when = policy['action'], condition(rules)
    if action == 'REJECT':
        return 'http-request deny if %s' % when
    if action == 'REDIRECT_TO_URL':
        return 'redirect location %s code %d if %s' % (
            policy['redirect_url'], policy['redirect_http_code'], when)
    if action == 'REDIRECT_PREFIX':
        return 'redirect prefix %s code %d if %s' % (
            policy['redirect_prefix'], policy['redirect_http_code'], when)
    if action == 'REDIRECT_TO_POOL':
        return 'use_backend %s if %s' % (backend, when)
    raise ValueError('L7 policy action %s cannot be rendered' % action)


def _rendered_policies(tree, listener, live_pools, is_live):
    for policy in tree.l7policies_of(listener['id']):
        if not is_live(policy) or not policy['admin_state_up']:
            continue
        rules = [r for r in tree.l7rules_of(policy['id'])
                 if is_live(r) and r['admin_state_up']]
        if not rules:
            continue
        if policy['action'] == 'REDIRECT_TO_POOL':
            pool = live_pools.get(policy['redirect_pool_id'])
            if pool is None or not pool['admin_state_up']:
                continue
        yield policy, rules


def frontend_lines(tree, listener, live_pools, is_live, backend_name):
    """{'l7_acls': [...], 'l7_actions': [...]} for the listener's frontend;
    backend_name(pool_id, listener_id) names a redirect pool's backend."""
    acls, actions = [], []
    for policy, rules in _rendered_policies(tree, listener, live_pools, is_live):
        acls += [acl_line(r) for r in rules]
        backend = backend_name(policy['redirect_pool_id'], listener['id'])
        actions.append(action_line(policy, rules, backend))
    return {'l7_acls': acls, 'l7_actions': actions}


def redirect_pool_ids(tree, listener, live_pools, is_live):
    """Pools the listener's rendered policies send to: each needs a backend."""
    ids = [p['redirect_pool_id']
           for p, _ in _rendered_policies(tree, listener, live_pools, is_live)
           if p['action'] == 'REDIRECT_TO_POOL']
    return list(dict.fromkeys(ids))
