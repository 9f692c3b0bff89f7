"""How a failed change ends (status_transitions.after_failure) and what is rendered
for objects in ERROR (worker/last_good.py): pure decisions, no amphora."""
import pytest

from heat_lbaas.controller import model
from heat_lbaas.controller import status_transitions
from heat_lbaas.controller.db import tree as tree_module
from heat_lbaas.controller.worker import last_good


def row(object_id, status='ACTIVE', **values):
    return dict(values, id=object_id, provisioning_status=status)


def statuses(objects, failover=False):
    return {object_id: status for (_, object_id), status
            in status_transitions.after_failure(objects, failover).items()}


@pytest.mark.parametrize('changed_type, changed_status', [
    (model.MEMBER, 'PENDING_CREATE'), (model.MEMBER, 'PENDING_UPDATE'),
    (model.MEMBER, 'PENDING_DELETE'), (model.HEALTH_MONITOR, 'PENDING_UPDATE'),
    (model.L7RULE, 'PENDING_UPDATE')])
def test_a_failed_child_change_errors_the_child_and_frees_its_locked_parents(
        changed_type, changed_status):
    objects = [(changed_type, row('child', changed_status)),
               (model.POOL, row('pool', 'PENDING_UPDATE')),
               (model.L7POLICY, row('policy', 'ACTIVE')),
               (model.LISTENER, row('listener', 'PENDING_UPDATE')),
               (model.LOADBALANCER, row('lb', 'PENDING_UPDATE'))]
    assert statuses(objects) == {'child': 'ERROR', 'pool': 'ACTIVE',
                                 'listener': 'ACTIVE', 'lb': 'ACTIVE'}


def test_a_failed_pool_update_errors_the_pool_not_its_listeners():
    objects = [(model.MEMBER, row('member')),
               (model.POOL, row('pool', 'PENDING_UPDATE')),
               (model.LISTENER, row('listener', 'PENDING_UPDATE')),
               (model.LOADBALANCER, row('lb', 'PENDING_UPDATE'))]
    assert statuses(objects) == {'pool': 'ERROR', 'listener': 'ACTIVE', 'lb': 'ACTIVE'}


def test_a_failed_listener_create_errors_the_listener_only():
    objects = [(model.LISTENER, row('listener', 'PENDING_CREATE')),
               (model.LOADBALANCER, row('lb', 'PENDING_UPDATE'))]
    assert statuses(objects) == {'listener': 'ERROR', 'lb': 'ACTIVE'}


def test_failed_load_balancer_changes_leave_it_in_error():
    assert statuses([(model.LOADBALANCER, row('lb', 'PENDING_UPDATE'))]) == {
        'lb': 'ERROR'}
    full_create = [(model.LISTENER, row('listener', 'PENDING_CREATE')),
                   (model.LOADBALANCER, row('lb', 'PENDING_CREATE'))]
    assert statuses(full_create) == {'listener': 'ERROR', 'lb': 'ERROR'}


def test_a_failed_failover_leaves_the_load_balancer_in_error_whatever_else_pends():
    objects = [(model.MEMBER, row('member', 'PENDING_CREATE')),
               (model.LOADBALANCER, row('lb', 'PENDING_UPDATE'))]
    assert statuses(objects, failover=True) == {'member': 'ERROR', 'lb': 'ERROR'}


def test_objects_not_pending_are_left_alone():
    objects = [(model.MEMBER, row('old', 'ERROR')), (model.MEMBER, row('ok')),
               (model.MEMBER, row('new', 'PENDING_CREATE')),
               (model.POOL, row('pool', 'PENDING_UPDATE')),
               (model.LOADBALANCER, row('lb', 'PENDING_UPDATE'))]
    assert statuses(objects) == {'new': 'ERROR', 'pool': 'ACTIVE', 'lb': 'ACTIVE'}


def tree(*members):
    return tree_module.LoadBalancerTree(row('lb'), [], [row('pool')], list(members), [])


def test_objects_in_error_render_as_last_accepted_or_not_at_all():
    accepted = tree(row('m1', weight=1), row('m2', weight=2),
                    row('gone', 'PENDING_DELETE', weight=3))
    now = tree(row('m1', 'ERROR', weight=99), row('m2', weight=5),
               row('never', 'ERROR', weight=7), row('gone', 'ERROR', weight=3))
    served = last_good.effective_tree(now, last_good.Accepted(accepted, {}))
    assert [(m['id'], m['weight'], m['provisioning_status']) for m in served.members] \
        == [('m1', 1, 'ERROR'), ('m2', 5, 'ACTIVE')]
    assert served.loadbalancer is now.loadbalancer


def test_without_an_accepted_tree_the_stored_one_is_rendered():
    now = tree(row('m1', 'ERROR', weight=99))
    assert last_good.effective_tree(now, None) is now


def test_certificates_only_objects_in_error_use_are_reused_as_staged():
    accepted = last_good.Accepted(tree(), {'ref-a': '/amp/a.pem', 'ref-b': '/amp/b.pem'})
    assert last_good.reusable_certificates(accepted, {'ref-b'}) == {
        'ref-a': '/amp/a.pem'}
    assert last_good.reusable_certificates(None, set()) == {}
