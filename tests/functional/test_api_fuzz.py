"""Fuzz the running controller with schemathesis, from the OpenAPI document it serves.

Every operation gets valid and invalid requests (bounded, so the test takes well
under a minute). Path ids name real objects, so requests reach validation and the
PENDING_* rules rather than stopping at 404; body ids sometimes do too. The
controller must never answer 5xx, must still answer afterwards, and its log must
hold no traceback.
"""
import os
import time

import hypothesis
from hypothesis import strategies as st
import pytest
import requests
import schemathesis

from tests.support import octavia_api

pytestmark = pytest.mark.noop_amphorae

VIP_SUBNET_ID = '35dc0b41-9dc8-5abb-bb66-90b11392828c'
EXAMPLES_PER_OPERATION = 12
SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
    derandomize=True, suppress_health_check=list(hypothesis.HealthCheck),
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate])
# Body fields that name another object, and the object type whose real id may
# replace the generated one.
ID_FIELDS = {'loadbalancer_id': 'loadbalancer', 'listener_id': 'listener',
             'pool_id': 'pool', 'default_pool_id': 'pool', 'redirect_pool_id': 'pool',
             'vip_subnet_id': 'vip_subnet'}


@pytest.fixture(scope='module')
def objects(controller):
    """One of each object, to aim the fuzzer's ids at."""
    api = octavia_api.OctaviaApi(controller.url)
    lb = api.create('loadbalancers', 'loadbalancer', vip_subnet_id=VIP_SUBNET_ID)
    api.wait_active(lb['id'])
    listener = api.create('listeners', 'listener', loadbalancer_id=lb['id'],
                          protocol='HTTP', protocol_port=8080)
    api.wait_active(lb['id'])
    pool = api.create('pools', 'pool', listener_id=listener['id'], protocol='HTTP',
                      lb_algorithm='ROUND_ROBIN')
    api.wait_active(lb['id'])
    member = api.request('POST', '/pools/%s/members' % pool['id'], {'member': {
        'address': '127.0.0.1', 'protocol_port': 9}}).json()['member']
    api.wait_active(lb['id'])
    monitor = api.create('healthmonitors', 'healthmonitor', pool_id=pool['id'],
                         type='TCP', delay=5, timeout=3, max_retries=3)
    api.wait_active(lb['id'])
    policy = api.create('l7policies', 'l7policy', listener_id=listener['id'],
                        action='REJECT')
    api.wait_active(lb['id'])
    rule = api.request('POST', '/l7policies/%s/rules' % policy['id'], {'rule': {
        'type': 'PATH', 'compare_type': 'STARTS_WITH', 'value': '/x'}}).json()['rule']
    api.wait_active(lb['id'])
    return {'loadbalancer': lb['id'], 'listener': listener['id'], 'pool': pool['id'],
            'member': member['id'], 'healthmonitor': monitor['id'],
            'l7policy': policy['id'], 'rule': rule['id'], 'vip_subnet': VIP_SUBNET_ID}


def _operations(schema):
    operations = [result.ok() for result in schema.get_all_operations()]
    # Deletions last, so the objects the other operations aim at live longest.
    return sorted(operations, key=lambda op: (op.method.upper() == 'DELETE',
                                              op.path, op.method))


def _aim_body_ids(case, objects, data):
    body = case.body
    if not isinstance(body, dict) or len(body) != 1:
        return
    inner = next(iter(body.values()))
    if not isinstance(inner, dict):
        return
    for name, owner in ID_FIELDS.items():
        if name in inner and data.draw(st.booleans(), label='real ' + name):
            inner[name] = objects[owner]


def _settle(url, lb_id, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = requests.get('%s/v2/lbaas/loadbalancers/%s' % (url, lb_id), timeout=10)
        if answer.status_code != 200 or not answer.json()['loadbalancer'][
                'provisioning_status'].startswith('PENDING_'):
            return
        time.sleep(0.02)


def _provider_refusal(response):
    """Octavia's 501 for an option the provider does not serve: an answer, not a
    failure of the controller."""
    return response.status_code == 501 and response.json().get(
        'faultstring', '').startswith("Provider 'amphora' does not support")


def _fuzz(operation, mode, objects, url, failures):
    path_ids = {name: objects[name[:-3]] for name in
                (p.name for p in operation.path_parameters)}
    strategy = operation.as_strategy(generation_mode=mode,
                                     path_parameters=path_ids or None)
    session = requests.Session()

    @SETTINGS
    @hypothesis.given(case=strategy, data=st.data())
    def run(case, data):
        _aim_body_ids(case, objects, data)
        response = case.call(base_url=url, session=session, timeout=30)
        if response.status_code >= 500 and not _provider_refusal(response):
            failures.append('%s %s %s -> %s %s' % (
                case.method, case.formatted_path, case.body,
                response.status_code, response.text[:300]))
        elif case.method != 'GET' and response.status_code < 300:
            # Let the change settle, so the next case is not simply told 409.
            _settle(url, objects['loadbalancer'])

    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        # Nothing to get wrong (an operation without parameters): no negative case.
        assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label


def test_no_request_makes_the_controller_fail(controller, objects):
    document = requests.get(controller.url + '/v2/lbaas/openapi.json', timeout=30)
    assert document.status_code == 200
    schema = schemathesis.openapi.from_dict(document.json())
    failures = []
    for operation in _operations(schema):
        for mode in (schemathesis.GenerationMode.POSITIVE,
                     schemathesis.GenerationMode.NEGATIVE):
            _fuzz(operation, mode, objects, controller.url, failures)
    assert failures == []
    assert requests.get(controller.url + '/', timeout=10).status_code == 200
    with open(os.path.join(controller.state_dir, 'controller.log')) as log:
        assert 'Traceback' not in log.read()
