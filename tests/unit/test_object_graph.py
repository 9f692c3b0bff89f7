"""The object tree derived from model.py (graph.py) and the status transitions that
walk it (status_transitions.py): the types alone, then rows in a real SQLite store."""
import pytest

from heat_lbaas.controller import graph
from heat_lbaas.controller import model
from heat_lbaas.controller import status_transitions
from heat_lbaas.controller import errors
from heat_lbaas.controller.db import store as store_module
from heat_lbaas.controller.db import tree as tree_module

LB, LISTENER, POOL, MEMBER, HM, POLICY, RULE = (
    model.LOADBALANCER, model.LISTENER, model.POOL, model.MEMBER,
    model.HEALTH_MONITOR, model.L7POLICY, model.L7RULE)
CHILD_TYPES = [t for t in model.OBJECT_TYPES if t is not LB]


# --- the types ----------------------------------------------------------------

@pytest.mark.parametrize('object_type', CHILD_TYPES, ids=lambda t: t.key)
def test_every_parent_chain_ends_at_the_load_balancer(object_type):
    assert graph.ancestors(object_type)[-1] is LB
    assert LB.parent is None


@pytest.mark.parametrize('object_type', CHILD_TYPES, ids=lambda t: t.key)
def test_the_parent_field_is_a_stored_field_of_the_child(object_type):
    assert object_type.parent_field in object_type.field_map


def test_the_declared_tree():
    assert {t.key: graph.children(t) for t in model.OBJECT_TYPES} == {
        'loadbalancer': (LISTENER, POOL), 'listener': (POLICY,),
        'pool': (MEMBER, HM), 'member': (), 'healthmonitor': (),
        'l7policy': (RULE,), 'rule': ()}


def test_removal_order_has_every_type_once_each_after_its_children():
    order = graph.DELETE_ORDER
    assert sorted(t.key for t in order) == sorted(t.key for t in model.OBJECT_TYPES)
    for object_type in order:
        for child in graph.children(object_type):
            assert order.index(child) < order.index(object_type)


def test_load_order_has_each_parent_before_its_children():
    order = graph.LOAD_ORDER
    assert order[0] is LB
    for object_type in CHILD_TYPES:
        assert order.index(object_type.parent) < order.index(object_type)


def test_references_across_the_tree():
    assert graph.references_to(POOL) == ((LISTENER, 'default_pool_id'),
                                         (POLICY, 'redirect_pool_id'))
    assert graph.references_to(HM) == ((POOL, 'healthmonitor_id'),)
    assert graph.references_to(MEMBER) == ()
    # A pool is reached by listeners; a monitor only by its own pool.
    assert graph.used_through_references(POOL)
    assert not graph.used_through_references(HM)
    assert graph.single_children(POOL) == (HM,)


@pytest.mark.parametrize('object_type, locked', [
    (LISTENER, {LB}),
    (POOL, {LB, LISTENER}),
    (MEMBER, {POOL, LISTENER, LB}),
    (HM, {POOL, LISTENER, LB}),
    (POLICY, {LISTENER, LB}),
    (RULE, {POLICY, LISTENER, LB}),
], ids=lambda value: getattr(value, 'key', ''))
def test_what_a_change_locks(object_type, locked):
    assert set(graph.lock_types(object_type)) == locked


def test_a_changed_object_lies_deeper_than_everything_its_change_locks():
    depths = {t.key: graph.lock_depth(t) for t in model.OBJECT_TYPES}
    assert depths == {'loadbalancer': 0, 'listener': 1, 'pool': 2, 'l7policy': 2,
                      'member': 3, 'healthmonitor': 3, 'rule': 3}
    for object_type in model.OBJECT_TYPES:
        for locked in graph.lock_types(object_type):
            assert graph.lock_depth(locked) < graph.lock_depth(object_type)


@pytest.mark.parametrize('object_type', model.OBJECT_TYPES, ids=lambda t: t.key)
def test_every_declared_relation_is_the_parent_children_or_users(object_type):
    kinds = {name: graph.relation(object_type, name) for name in object_type.relations}
    expected = {'loadbalancer': {'listeners': 'children', 'pools': 'children'},
                'listener': {'loadbalancers': 'parent', 'l7policies': 'children'},
                'pool': {'loadbalancers': 'parent', 'listeners': 'users',
                         'members': 'children'},
                'member': {}, 'healthmonitor': {'pools': 'parent'},
                'l7policy': {'rules': 'children'}, 'rule': {}}
    assert kinds == expected[object_type.key]


def test_an_unknown_relation_is_refused():
    with pytest.raises(ValueError):
        graph.relation(MEMBER, 'listeners')


# --- rows in a store -------------------------------------------------------------

@pytest.fixture
def store(tmp_path):
    return store_module.Store(str(tmp_path / 'graph.sqlite'))


def add(store, object_type, object_id, status='ACTIVE', **values):
    return store.insert(object_type, dict(values, id=object_id,
                                          provisioning_status=status))


@pytest.fixture
def lb_tree(store):
    """lb: listener l1 (default pool p1, policy l7 redirecting to p2, rule r1),
    listener l2 (no pool), pools p1 (member m1, monitor h1) and p2 (member m2)."""
    add(store, LB, 'lb')
    add(store, POOL, 'p1', loadbalancer_id='lb', healthmonitor_id='h1')
    add(store, POOL, 'p2', loadbalancer_id='lb')
    add(store, LISTENER, 'l1', loadbalancer_id='lb', default_pool_id='p1')
    add(store, LISTENER, 'l2', loadbalancer_id='lb')
    add(store, POLICY, 'l7', listener_id='l1', redirect_pool_id='p2', position=1)
    add(store, RULE, 'r1', l7policy_id='l7')
    add(store, MEMBER, 'm1', pool_id='p1')
    add(store, MEMBER, 'm2', pool_id='p2')
    add(store, HM, 'h1', pool_id='p1')
    return store


def statuses(store):
    tree = tree_module.load_tree(store, 'lb')
    return {row['id']: row['provisioning_status'] for _, row in tree.objects()}


def test_the_loaded_tree_lists_children_before_parents(lb_tree):
    objects = [(t.key, row['id']) for t, row in tree_module.load_tree(
        lb_tree, 'lb').objects()]
    assert sorted(objects) == sorted([
        ('loadbalancer', 'lb'), ('listener', 'l1'), ('listener', 'l2'), ('pool', 'p1'),
        ('pool', 'p2'), ('l7policy', 'l7'), ('rule', 'r1'), ('member', 'm1'),
        ('member', 'm2'), ('healthmonitor', 'h1')])
    position = {object_id: n for n, (_, object_id) in enumerate(objects)}
    for child, parent in (('r1', 'l7'), ('l7', 'l1'), ('m1', 'p1'), ('h1', 'p1'),
                          ('l1', 'lb'), ('p2', 'lb')):
        assert position[child] < position[parent]


def test_the_pools_a_listener_sends_traffic_to(lb_tree):
    tree = tree_module.load_tree(lb_tree, 'lb')
    listener = lb_tree.get(LISTENER, 'l1')
    assert tree.referenced_by(LISTENER, listener, POOL) == ['p1', 'p2']


def test_listeners_using_a_pool_default_first_then_through_policies(lb_tree):
    add(lb_tree, LISTENER, 'l3', loadbalancer_id='lb', default_pool_id='p2')
    assert graph.users(lb_tree, POOL, 'p2') == ['l3', 'l1']
    assert graph.users(lb_tree, POOL, 'p1') == ['l1']
    assert graph.users(lb_tree, HM, 'h1') == []


def test_descendants_come_children_first(lb_tree):
    found = [row['id'] for _, row in graph.descendant_rows(lb_tree, LISTENER, 'l1')]
    assert found == ['r1', 'l7']
    assert {row['id'] for _, row in graph.descendant_rows(lb_tree, POOL, 'p1')} == {
        'm1', 'h1'}
    assert graph.descendant_rows(lb_tree, MEMBER, 'm1') == []


def test_a_removed_pool_and_monitor_are_no_longer_named(lb_tree):
    graph.clear_references(lb_tree, POOL, 'p1')
    graph.clear_references(lb_tree, HM, 'h1')
    assert lb_tree.get(LISTENER, 'l1')['default_pool_id'] is None
    assert lb_tree.get(POOL, 'p1')['healthmonitor_id'] is None
    assert lb_tree.get(POLICY, 'l7')['redirect_pool_id'] == 'p2'


def test_the_load_balancer_of_any_object(lb_tree):
    for object_type, object_id in ((RULE, 'r1'), (MEMBER, 'm2'), (LISTENER, 'l2'),
                                   (LB, 'lb')):
        row = lb_tree.get(object_type, object_id)
        assert graph.loadbalancer_id(lb_tree, object_type, row) == 'lb'


def test_a_member_change_locks_its_pool_the_listeners_using_it_and_the_lb(lb_tree):
    status_transitions.lock_for_change(lb_tree, MEMBER, lb_tree.get(MEMBER, 'm2'))
    assert statuses(lb_tree) == dict(
        {object_id: 'ACTIVE' for object_id in statuses(lb_tree)},
        lb='PENDING_UPDATE', p2='PENDING_UPDATE', l1='PENDING_UPDATE')


def test_a_rule_change_locks_its_policy_listener_and_lb(lb_tree):
    status_transitions.lock_for_change(lb_tree, RULE, {'l7policy_id': 'l7'})
    locked = {k for k, v in statuses(lb_tree).items() if v == 'PENDING_UPDATE'}
    assert locked == {'lb', 'l1', 'l7'}


def test_a_new_pool_for_a_listener_locks_that_listener(lb_tree):
    status_transitions.lock_for_change(lb_tree, POOL, {'loadbalancer_id': 'lb'},
                                       users=['l2'])
    locked = {k for k, v in statuses(lb_tree).items() if v == 'PENDING_UPDATE'}
    assert locked == {'lb', 'l2'}


def test_a_listener_in_error_keeps_it_while_a_child_changes(lb_tree):
    lb_tree.update(LISTENER, 'l1', {'provisioning_status': 'ERROR'})
    status_transitions.lock_for_change(lb_tree, POOL, lb_tree.get(POOL, 'p1'))
    assert statuses(lb_tree)['l1'] == 'ERROR'
    assert statuses(lb_tree)['lb'] == 'PENDING_UPDATE'


def test_the_nearest_immutable_parent_is_named_and_nothing_is_locked(lb_tree):
    lb_tree.update(POOL, 'p1', {'provisioning_status': 'PENDING_UPDATE'})
    lb_tree.update(LB, 'lb', {'provisioning_status': 'PENDING_UPDATE'})
    before = statuses(lb_tree)
    with pytest.raises(errors.Immutable, match='^Pool p1 is immutable'):
        status_transitions.lock_for_change(lb_tree, MEMBER, lb_tree.get(MEMBER, 'm1'))
    lb_tree.update(POOL, 'p1', {'provisioning_status': 'ACTIVE'})
    with pytest.raises(errors.Immutable, match='^Load Balancer lb is immutable'):
        status_transitions.lock_for_change(lb_tree, MEMBER, lb_tree.get(MEMBER, 'm1'))
    assert statuses(lb_tree) == dict(before, p1='ACTIVE')


def test_a_listener_is_locked_without_being_checked(lb_tree):
    # Octavia's test_and_set_lb_and_listeners_prov_status tests only the LB.
    lb_tree.update(LISTENER, 'l1', {'provisioning_status': 'PENDING_CREATE'})
    status_transitions.lock_for_change(lb_tree, POLICY, lb_tree.get(POLICY, 'l7'))
    assert statuses(lb_tree)['lb'] == 'PENDING_UPDATE'


def test_a_missing_load_balancer_is_a_404(store):
    with pytest.raises(errors.NotFound, match='^Load Balancer gone not found'):
        status_transitions.lock_for_change(store, LISTENER, {'loadbalancer_id': 'gone'})


def test_deleting_marks_the_object_and_everything_under_it(lb_tree):
    status_transitions.mark_deleting(lb_tree, LISTENER, lb_tree.get(LISTENER, 'l1'))
    deleting = {k for k, v in statuses(lb_tree).items() if v == 'PENDING_DELETE'}
    assert deleting == {'l1', 'l7', 'r1'}


def test_a_finished_change_activates_and_removes(lb_tree):
    for object_type, object_id, status in ((LB, 'lb', 'PENDING_UPDATE'),
                                           (POOL, 'p1', 'PENDING_UPDATE'),
                                           (MEMBER, 'm1', 'PENDING_DELETE')):
        lb_tree.update(object_type, object_id, {'provisioning_status': status})
    removed = []

    def remove(object_type, row):
        removed.append(row['id'])
        lb_tree.delete(object_type, row['id'])

    status_transitions.finish_change(
        lb_tree, tree_module.load_tree(lb_tree, 'lb').objects(), failed=False,
        remove=remove)
    assert removed == ['m1']
    assert set(statuses(lb_tree).values()) == {'ACTIVE'}
