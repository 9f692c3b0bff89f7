"""Lifecycle rules of the LBaaS::* types through the real Heat engine on the devcloud:
replacement without a duplicate, recovery of an object in ERROR, stack check, live state,
readiness, cascade delete, and a scale-in under load that loses no request (drain)."""
import pathlib
import re
import sqlite3
import time

import requests

from tests.support import request_load
from tests.support.stacks import output_value, stack_status

ROOT = pathlib.Path(__file__).resolve().parents[2]
TEMPLATE = str(pathlib.Path(__file__).parent / 'templates' / 'lifecycle.yaml')


def _create(devcloud, name, check=True, **parameters):
    devcloud.heat.create(name, TEMPLATE, parameters=dict(
        parameters, vip_subnet=devcloud.settings['vip_subnet_id']), check=check)


def _update(devcloud, name, **fields):
    ended = devcloud.heat.update(name, check=False, **fields)
    status, reason = stack_status(devcloud, name)
    return status, '%s (%s %s)' % (reason, *ended)


def _delete(devcloud, name):
    devcloud.heat.delete(name)
    assert devcloud.load_balancer.load_balancers() == []


def test_replacing_monitor_type_and_member_port_makes_no_duplicate(devcloud):
    _create(devcloud, 'repl')
    monitor_id = output_value(devcloud, 'repl', 'monitor_id')
    member_id = output_value(devcloud, 'repl', 'member_id')
    began = time.monotonic()
    status, reason = _update(devcloud, 'repl', parameters={'monitor_type': 'TCP',
                                                           'member_port': 10})
    assert status == 'UPDATE_COMPLETE', reason
    assert time.monotonic() - began < 60
    pool_id = output_value(devcloud, 'repl', 'pool_id')
    monitors = devcloud.load_balancer.health_monitors()
    assert [(m['id'] != monitor_id, m['type']) for m in monitors] == [(True, 'TCP')]
    members = devcloud.load_balancer.members(pool_id)
    assert [(m['id'] != member_id, m['protocol_port']) for m in members] == [(True, 10)]
    _delete(devcloud, 'repl')


def test_member_in_error_fails_check_and_is_recovered_by_update(devcloud):
    _create(devcloud, 'recover')
    member_id = output_value(devcloud, 'recover', 'member_id')
    database = devcloud.state_dir / 'controller' / 'controller.sqlite'
    with sqlite3.connect(str(database)) as db:
        db.execute("UPDATE members SET provisioning_status = 'ERROR' WHERE id = ?",
                   (member_id,))
    devcloud.heat.check('recover', check=False)
    status, reason = stack_status(devcloud, 'recover')
    assert status == 'CHECK_FAILED' and 'provisioning_status ERROR' in reason, reason

    status, reason = _update(devcloud, 'recover')
    assert status == 'UPDATE_COMPLETE', reason
    pool_id = output_value(devcloud, 'recover', 'pool_id')
    members = devcloud.load_balancer.members(pool_id)
    assert [m['provisioning_status'] for m in members] == ['ACTIVE']
    assert members[0]['id'] == output_value(devcloud, 'recover', 'member_id') != member_id
    devcloud.heat.check('recover')
    assert stack_status(devcloud, 'recover')[0] == 'CHECK_COMPLETE'
    _delete(devcloud, 'recover')


def test_member_gone_out_of_band_fails_check_and_is_recreated_by_update(devcloud):
    _create(devcloud, 'gone')
    try:
        pool_id = output_value(devcloud, 'gone', 'pool_id')
        member_id = output_value(devcloud, 'gone', 'member_id')
        devcloud.load_balancer.delete_member(pool_id, member_id)
        devcloud.heat.check('gone', check=False)
        status, reason = stack_status(devcloud, 'gone')
        assert status == 'CHECK_FAILED' and 'does not exist any more' in reason, reason

        status, reason = _update(devcloud, 'gone')
        assert status == 'UPDATE_COMPLETE', reason
        members = devcloud.load_balancer.members(pool_id)
        assert [m['id'] for m in members] == [output_value(devcloud, 'gone', 'member_id')]
        devcloud.heat.check('gone')
        assert stack_status(devcloud, 'gone')[0] == 'CHECK_COMPLETE'
    finally:
        _delete(devcloud, 'gone')


def test_out_of_band_change_is_brought_back_by_converge(devcloud):
    # Works through the devcloud's `observe_on_update = true` (see its heat.conf): Heat
    # 27 passes --converge on to the leaves of the graph only, not to the listener.
    _create(devcloud, 'drift')
    try:
        listener_id = output_value(devcloud, 'drift', 'listener_id')
        pool_id = output_value(devcloud, 'drift', 'pool_id')
        devcloud.load_balancer.update_listener(listener_id, connection_limit=7)
        ids_before = _physical_ids(devcloud, 'drift')
        status, reason = _update(devcloud, 'drift', converge=True)
        assert status == 'UPDATE_COMPLETE', reason
        shown = devcloud.load_balancer.listener(listener_id)
        assert shown['connection_limit'] == 100
        # Fields the template leaves to Octavia are no drift: the default pool the pool
        # gave the listener stays.
        assert shown['default_pool_id'] == pool_id
        assert _physical_ids(devcloud, 'drift') == ids_before    # updated in place
    finally:
        _delete(devcloud, 'drift')


def _physical_ids(devcloud, name):
    listed = devcloud.heat.resources(name)
    return {r['resource_name']: r['physical_resource_id'] for r in listed}


def test_member_that_never_comes_online_fails_naming_it(devcloud):
    # Port 9 on loopback: nothing listens, so the HTTP check never passes.
    _create(devcloud, 'offline', wait_for_online='true', check=False)
    status, reason = stack_status(devcloud, 'offline')
    assert status == 'CREATE_FAILED', reason
    assert 'was not ready within 4 s' in reason, reason
    assert 'operating_status was still ERROR' in reason, reason
    assert 'resource member' in reason
    _delete(devcloud, 'offline')


def test_children_heat_did_not_create_do_not_block_stack_delete(devcloud):
    _create(devcloud, 'extra')
    lb_id = devcloud.load_balancer.load_balancers()[0]['id']
    devcloud.load_balancer.create_listener(lb_id, protocol='TCP', protocol_port=8092)
    _delete(devcloud, 'extra')


def test_scale_in_under_load_loses_no_request(devcloud):
    devcloud.heat.create('drain', ROOT / 'templates/autoscaling_web.yaml',
                         [ROOT / 'environments/devcloud.yaml'],
                         {'desired_size': 3, 'lb_port': 8093})
    lb_url = output_value(devcloud, 'drain', 'lb_url')
    updates_before = _member_updates(devcloud)
    with request_load.RequestLoad(lb_url, timeout=10) as load:
        time.sleep(1)
        for expected in (2, 1):
            signal = requests.post(output_value(devcloud, 'drain', 'scale_down_url'), timeout=60)
            assert signal.status_code == 200, signal.text
            deadline = time.monotonic() + 60
            while int(output_value(devcloud, 'drain', 'current_size')) != expected:
                assert time.monotonic() < deadline
                time.sleep(0.5)
            time.sleep(3)   # past the cooldown, with the member gone
        drained = _member_updates(devcloud) - updates_before
    assert load.answered > 20
    assert load.failures == []
    # Scale-in deletes a member's nested stack while the root stack is not deleted: each
    # leaving member was drained (set to weight 0 first). Deleting the whole stack
    # removes the listener anyway: no member is drained, so no drain time is spent.
    assert drained == 2
    devcloud.heat.delete('drain')
    assert _member_updates(devcloud) - updates_before == drained


def _member_updates(devcloud):
    """How many member updates (PUT .../pools/{id}/members/{id}) the controller answered."""
    access_log = (devcloud.state_dir / 'logs' / 'controller.log').read_text()
    return len(re.findall(r' PUT /v2\.0/lbaas/pools/[^/ ]+/members/[^/ ]+ 2\d\d', access_log))
