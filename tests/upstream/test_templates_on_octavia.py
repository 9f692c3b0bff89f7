"""The shipped templates through the devcloud's real Heat on upstream Octavia 19 (amphora
provider, no-op drivers; `make test-octavia`), everything that needs no traffic: create,
in-place update, replacement (of members), scale by signal, blue/green switch, stack check, recovery
of an object deleted out of band, and a delete that leaves nothing in Octavia.

No-op Octavia never reports a member ONLINE, so the templates run with
wait_for_online=false. Each step's requests to the load-balancer API and its 409 answers
are counted from the API's access log (the test's own requests left out) and printed at
the end of the run ("requests and 409s per stack")."""
import pathlib
import time

import pytest
import requests

from tests.support.stacks import output_value

ROOT = pathlib.Path(__file__).resolve().parents[2]
ENVIRONMENT = str(ROOT / 'environments' / 'devcloud.yaml')
NO_READINESS = {'wait_for_online': 'false'}
SETTLE_TIMEOUT = 120


def _template(name):
    return str(ROOT / 'templates' / ('%s.yaml' % name))


class Steps:
    """Runs a stack's steps and keeps, for each, its seconds, requests and 409s."""

    def __init__(self, backend, template, stack):
        self.backend = backend
        self.template = template
        self.stack = stack
        self.rows = []

    def run(self, step, action):
        self.backend.counter.take()     # what came before (the test's own checks)
        began = time.monotonic()
        result = action()
        took = time.monotonic() - began
        sent, conflicts = self.backend.counter.take()
        self.rows.append((step, took, sent, conflicts))
        return result

    def summary(self):
        lines = ['%s on %s: %d requests, %d 409s in all' % (
            self.template, self.backend.name, sum(r[2] for r in self.rows),
            sum(r[3] for r in self.rows))]
        lines += ['  %-26s %6.1f s %5d requests %4d 409s' % row for row in self.rows]
        return '\n'.join(lines)


@pytest.fixture
def steps(backend, record_property):
    """steps(template, stack): the Steps of one stack; a stack a failed test left is
    deleted after it, so the next test starts from an empty load-balancer API."""
    made = []

    def start(template, stack):
        made.append(Steps(backend, template, stack))
        return made[-1]
    yield start
    for stack_steps in made:
        text = stack_steps.summary()
        print(text)
        # Shown by the root conftest at the end of the run (from every xdist worker).
        record_property('requests_and_409s', text)
        backend.devcloud.heat.delete(stack_steps.stack, check=False)


def _api_get(backend, path):
    if backend.octavia is not None:
        return backend.octavia.get(path)
    response = requests.get(backend.devcloud.controller_url + path, timeout=30)
    response.raise_for_status()
    return response.json()


def _api_delete(backend, path):
    if backend.octavia is not None:
        return backend.octavia.api('DELETE', path)
    return requests.delete(backend.devcloud.controller_url + path, timeout=30)


def _load_balancers(backend):
    return _api_get(backend, '/v2/lbaas/loadbalancers')['loadbalancers']


def _members(backend, pool_id):
    return _api_get(backend, '/v2/lbaas/pools/%s/members' % pool_id)['members']


def _wait_until(predicate, what, timeout=SETTLE_TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, 'not within %s s: %s' % (timeout, what)
        time.sleep(0.5)


# Stacks through the in-process heatclient (tests/support/heat_client.py): the
# requests `openstack stack ... --wait` sends, without a CLI process per call.
def _create(devcloud, name, template, **parameters):
    devcloud.heat.create(name, _template(template), [ENVIRONMENT],
                         {**NO_READINESS, **parameters})


def _update(devcloud, name, **parameters):
    status, reason = devcloud.heat.update(name, parameters=parameters, check=False)
    assert status == 'UPDATE_COMPLETE', reason


def _check(devcloud, name):
    devcloud.heat.check(name, check=False)
    # The stack's reason in full (its event's is cut short).
    return devcloud.heat.status(name)


def _delete_leaving_nothing(backend, name):
    backend.devcloud.heat.delete(name)


def _assert_nothing_left(backend):
    for kind in ('loadbalancers', 'listeners', 'pools', 'healthmonitors', 'l7policies'):
        assert _api_get(backend, '/v2/lbaas/%s' % kind)[kind] == [], kind


def _signal_and_settle(devcloud, stack, output, size):
    """POST a scaling signal, then wait for the update of the group's nested stack
    that it starts (its first end after the signal) and check the group's size."""
    nested = devcloud.heat.identity(
        devcloud.heat.resource(stack, 'web_group')['physical_resource_id'])
    marker = devcloud.heat.last_event(nested)
    answer = requests.post(output_value(devcloud, stack, output), timeout=30)
    assert answer.status_code == 200, answer.text
    devcloud.heat.wait_for(nested, 'UPDATE', marker, timeout=SETTLE_TIMEOUT)
    statuses = [r['resource_status'] for r in devcloud.heat.resources(nested)]
    assert len(statuses) == size and set(statuses) <= {
        'CREATE_COMPLETE', 'UPDATE_COMPLETE'}, statuses


def _lb_active(backend):
    balancers = _load_balancers(backend)
    return len(balancers) == 1 and balancers[0]['provisioning_status'] == 'ACTIVE'


def test_autoscaling_web_lifecycle(backend, steps):
    devcloud = backend.devcloud
    web = steps('autoscaling_web', 'web')
    # No cooldowns: the scale-down signal follows the scale-up at once (within a
    # cooldown Heat answers a signal 200 and ignores it).
    web.run('create', lambda: _create(devcloud, 'web', 'autoscaling_web',
                                      desired_size='2', drain_seconds='0',
                                      scale_up_cooldown='0', scale_down_cooldown='0'))
    pool_id = output_value(devcloud, 'web', 'pool_id')
    (balancer,) = _load_balancers(backend)
    assert balancer['provisioning_status'] == 'ACTIVE'
    members = _members(backend, pool_id)
    assert [m['provisioning_status'] for m in members] == ['ACTIVE', 'ACTIVE']
    assert sorted(m['id'] for m in members) == sorted(
        output_value(devcloud, 'web', 'member_ids'))

    # In place: the health monitor keeps its id.
    monitor_id = _api_get(backend, '/v2/lbaas/pools/%s' % pool_id)['pool']['healthmonitor_id']
    web.run('update in place', lambda: _update(devcloud, 'web',
                                               health_check_path='/healthz'))
    monitor = _api_get(backend, '/v2/lbaas/healthmonitors/%s' % monitor_id)['healthmonitor']
    assert monitor['url_path'] == '/healthz'

    # Replacement: a member's port cannot change in place (each member of the group is
    # deleted, then created again on the new port).
    old_members = {m['id'] for m in _members(backend, pool_id)}
    web.run('replacement', lambda: _update(devcloud, 'web', member_port='8085'))
    members = _members(backend, pool_id)
    assert [m['protocol_port'] for m in members] == [8085, 8085]
    assert not old_members & {m['id'] for m in members}

    web.run('scale up by signal', lambda: _signal_and_settle(devcloud, 'web',
                                                             'scale_up_url', 3))
    assert len(_members(backend, pool_id)) == 3
    web.run('scale down by signal', lambda: _signal_and_settle(devcloud, 'web',
                                                               'scale_down_url', 2))
    assert len(_members(backend, pool_id)) == 2

    status, reason = web.run('check', lambda: _check(devcloud, 'web'))
    assert status == 'CHECK_COMPLETE', reason

    # Recovery: a member deleted behind Heat's back fails the check, and the next
    # update creates it again.
    gone = _members(backend, pool_id)[0]['id']
    assert _api_delete(backend, '/v2/lbaas/pools/%s/members/%s' % (pool_id, gone)
                       ).status_code == 204
    _wait_until(lambda: _lb_active(backend) and len(_members(backend, pool_id)) == 1,
                'the member deleted out of band gone')
    status, reason = _check(devcloud, 'web')
    assert status == 'CHECK_FAILED' and 'does not exist any more' in reason, reason
    web.run('recovery (update)', lambda: _update(devcloud, 'web'))
    members = _members(backend, pool_id)
    assert len(members) == 2 and gone not in {m['id'] for m in members}
    assert {m['provisioning_status'] for m in members} == {'ACTIVE'}

    web.run('delete', lambda: _delete_leaving_nothing(backend, 'web'))
    _assert_nothing_left(backend)


def test_blue_green_switch(backend, steps):
    devcloud = backend.devcloud
    bg = steps('blue_green', 'bg')
    bg.run('create', lambda: _create(devcloud, 'bg', 'blue_green'))
    blue = output_value(devcloud, 'bg', 'live_pool_id')
    listeners = {lst['protocol_port']: lst
                 for lst in _api_get(backend, '/v2/lbaas/listeners')['listeners']}
    assert listeners[8080]['default_pool_id'] == blue
    green = listeners[8081]['default_pool_id']
    assert len(_members(backend, blue)) == len(_members(backend, green)) == 2

    bg.run('switch to green', lambda: _update(devcloud, 'bg', live_color='green'))
    switched = {lst['protocol_port']: lst
                for lst in _api_get(backend, '/v2/lbaas/listeners')['listeners']}
    assert switched[8080]['default_pool_id'] == green
    assert switched[8081]['default_pool_id'] == blue
    # Updated in place: same listeners, both pools keep their members.
    assert {lst['id'] for lst in switched.values()} == {
        lst['id'] for lst in listeners.values()}
    assert len(_members(backend, blue)) == len(_members(backend, green)) == 2

    bg.run('switch back to blue', lambda: _update(devcloud, 'bg', live_color='blue'))
    assert output_value(devcloud, 'bg', 'live_pool_id') == blue
    bg.run('delete', lambda: _delete_leaving_nothing(backend, 'bg'))
    _assert_nothing_left(backend)


def test_l7_routing_create_check_delete(backend, steps):
    devcloud = backend.devcloud
    l7 = steps('l7_routing', 'l7')
    l7.run('create', lambda: _create(devcloud, 'l7', 'l7_routing'))
    policies = _api_get(backend, '/v2/lbaas/l7policies')['l7policies']
    assert sorted(p['action'] for p in policies) == [
        'REDIRECT_PREFIX', 'REDIRECT_TO_POOL', 'REDIRECT_TO_POOL', 'REDIRECT_TO_URL',
        'REJECT']
    assert {p['provisioning_status'] for p in policies} == {'ACTIVE'}
    status, reason = l7.run('check', lambda: _check(devcloud, 'l7'))
    assert status == 'CHECK_COMPLETE', reason
    l7.run('delete', lambda: _delete_leaving_nothing(backend, 'l7'))
    _assert_nothing_left(backend)
