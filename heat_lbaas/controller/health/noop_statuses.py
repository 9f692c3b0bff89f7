"""Operating statuses as Octavia sets them with its no-op drivers, where no amphora
reports health: the API's initial statuses stay, except what Octavia's worker itself
writes when a change is applied (controller/worker/v2/tasks/database_tasks.py,
db/prepare.py):

- a health monitor, L7 policy or L7 rule made ACTIVE: ONLINE, OFFLINE if disabled;
- a member made ACTIVE: OFFLINE in a pool with a health monitor, else NO_MONITOR;
- a health monitor deleted: its pool's members NO_MONITOR.

Load balancers, listeners and pools stay OFFLINE, as the API created them.
"""
from heat_lbaas.controller import model
from heat_lbaas.controller.db import tree as tree_module
from heat_lbaas.controller.health import rollup

ACTIVATED = ('PENDING_CREATE', 'PENDING_UPDATE')
ENABLED_ONLINE = (model.HEALTH_MONITOR, model.L7POLICY, model.L7RULE)


def _enabled(row):
    return 'ONLINE' if row['admin_state_up'] else 'OFFLINE'


def compute(changed_tree):
    """{(object type, id): operating_status} for `changed_tree`, the tree as it was
    while its change was pending."""
    result = {}
    for object_type, row in changed_tree.objects():
        status = row['provisioning_status']
        if object_type in ENABLED_ONLINE and status in ACTIVATED:
            result[object_type, row['id']] = _enabled(row)
        elif object_type is model.MEMBER and status == 'PENDING_CREATE':
            monitor = changed_tree.healthmonitor_of(row['pool_id'])
            monitored = monitor and monitor['provisioning_status'] != 'PENDING_DELETE'
            result[object_type, row['id']] = 'OFFLINE' if monitored else 'NO_MONITOR'
    for monitor in changed_tree.healthmonitors:
        if monitor['provisioning_status'] == 'PENDING_DELETE':
            for member in changed_tree.members_of(monitor['pool_id']):
                result[model.MEMBER, member['id']] = 'NO_MONITOR'
    return result


def store_after_change(store, changed_tree):
    """Write the statuses of a change the worker has just finished; objects whose
    change failed keep theirs, as Octavia's revert tasks leave them."""
    tree = tree_module.load_tree(store, changed_tree.loadbalancer['id'])
    if tree is None:
        return
    active = {(object_type, row['id']) for object_type, row in tree.objects()
              if row['provisioning_status'] == 'ACTIVE'}
    rollup.store_statuses(store, tree, {key: status for key, status
                                        in compute(changed_tree).items()
                                        if key in active})
