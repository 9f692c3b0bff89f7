"""A listener's L7 policies as the data of its frontend's L7 lines; the lines
themselves (HAProxy syntax) are written by the macros of templates/l7.j2.

Policies without enabled rules, or disabled, are left out, as Octavia does.
Where Octavia's lines would not mean what the API says, the data differs:
- FILE_TYPE tests the extension: EQUAL_TO `jpg` is a path ending with `.jpg` and
  REGEX `jpg|png` the path regular expression `\\.(jpg|png)$` (Octavia's
  `path_end -m str jpg` compares the whole path with `jpg`, so it never matches).
- HOST_NAME compares without regard to case, as host names are.
"""
from heat_lbaas.controller.amphora import jinja_env

# Rule types compared without regard to case.
CASELESS_TYPES = ('HOST_NAME',)


def _macros():
    return jinja_env.ENVIRONMENT.get_template('l7.j2').module


def _match(rule):
    """(compare type, value) HAProxy tests the rule's fetched value with."""
    compare, value = rule['compare_type'], rule['value']
    if rule['type'] == 'FILE_TYPE':
        if compare == 'REGEX':
            return 'REGEX', r'\.(%s)$' % value
        return 'ENDS_WITH', '.' + value.lstrip('.')
    return compare, value


def regex_of(rule):
    """The regular expression HAProxy compiles for a REGEX rule."""
    return _match(rule)[1]


def caseless(rule):
    return rule['type'] in CASELESS_TYPES


def rule_data(rule):
    compare, value = _match(rule)
    return {'id': rule['id'], 'type': rule['type'], 'key': rule['key'],
            'compare_type': compare, 'value': value, 'caseless': caseless(rule),
            'invert': rule['invert']}


def acl_line(rule):
    return str(_macros().acl(rule_data(rule)))


def action_line(policy, rules, backend=None):
    """The policy's action line; `backend` names the redirect pool's backend."""
    return str(_macros().action(policy, rules, backend))


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
