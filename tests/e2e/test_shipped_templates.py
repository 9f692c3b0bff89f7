"""The shipped templates on the devcloud's real Heat engine: every template validates with
every environment it supports, and each one's stack shows its behaviour with real HTTP
traffic, then deletes leaving no load balancer and no process.

The real-cloud variant (environments/openstack.yaml) is validated, not run: the devcloud
has no Nova, Neutron, Glance or Aodh, so environments/no_nova_neutron_aodh.yaml maps those
five resource types to OS::Heat::None (see that file and docs/templates.md for exactly
what that leaves unchecked)."""
import collections
import pathlib
import time

import pytest
import requests
from heatclient import exc as heat_exc

from tests.support.request_load import RequestLoad
from tests.support.stacks import delete_leaving_nothing, output_value, stack_status

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEVCLOUD_ENV = ('environments/devcloud.yaml',)
REAL_CLOUD_ENV = ('environments/openstack.yaml',
                  'tests/e2e/environments/no_nova_neutron_aodh.yaml')
TOP_TEMPLATES = ('autoscaling_web', 'l7_routing', 'single_call_lb', 'blue_green')
VALIDATIONS = [(template, environments) for template in TOP_TEMPLATES
               for environments in (DEVCLOUD_ENV, REAL_CLOUD_ENV)]


def _environment_paths(environments):
    return [ROOT / env for env in environments]


@pytest.mark.parametrize('template,environments', VALIDATIONS,
                         ids=['%s+%s' % (t, 'devcloud' if e == DEVCLOUD_ENV else 'openstack')
                              for t, e in VALIDATIONS])
def test_template_validates_with_its_environment(devcloud, template, environments):
    path = ROOT / 'templates' / (template + '.yaml')
    environment_paths = _environment_paths(environments)
    try:
        devcloud.heat.validate(path, environment_paths, show_nested=True)
        # `template validate` checks the template's structure but not resource
        # properties; a preview (create --dry-run) validates every property and nested
        # template and creates nothing.
        devcloud.heat.preview('preview-%s' % template.replace('_', '-'), path,
                              environment_paths)
    except heat_exc.HTTPException as refused:
        pytest.fail('Heat refused %s: %s' % (template, refused))
    assert devcloud.load_balancer.load_balancers() == []


class ShippedStack:
    """A stack of a shipped template on the devcloud, deleted at the end by the test,
    which then checks that its load balancer and processes are gone."""

    def __init__(self, devcloud, template, name, parameters=None):
        self.devcloud, self.name = devcloud, name
        lbs_before = {lb['id'] for lb in devcloud.load_balancer.load_balancers()}
        began = time.monotonic()
        devcloud.heat.create(name, ROOT / 'templates' / template,
                             _environment_paths(DEVCLOUD_ENV), parameters, check=False)
        print('%s: stack create %.1f s' % (template, time.monotonic() - began))
        status, reason = stack_status(devcloud, name)
        assert status == 'CREATE_COMPLETE', reason
        self.lb_ids = [lb['id'] for lb in devcloud.load_balancer.load_balancers()
                       if lb['id'] not in lbs_before]
        assert len(self.lb_ids) == 1, self.lb_ids
        devcloud.remember_pids()
        self.started = devcloud.pids()

    def output(self, key):
        return output_value(self.devcloud, self.name, key)

    def delete_leaving_nothing(self):
        took = delete_leaving_nothing(self.devcloud, self.name, self.lb_ids[0], self.started)
        print('%s: stack delete %.1f s' % (self.name, took))


@pytest.fixture
def shipped(devcloud):
    """Creates stacks of shipped templates; a stack the test did not delete is deleted."""
    made = []

    def create(template, name, parameters=None):
        made.append(name)
        return ShippedStack(devcloud, template, name, parameters)

    yield create
    for name in made:
        devcloud.heat.delete(name, check=False)


def get(url, **kwargs):
    return requests.get(url, timeout=10, allow_redirects=False, **kwargs)


def served_by_address(response):
    """The address of the member that answered (body: served-by: <who> <address>:<port>)."""
    assert response.status_code == 200, (response.status_code, response.text)
    return response.text.split()[-1].rsplit(':', 1)[0]


def test_l7_routing_routes_rejects_and_redirects(shipped):
    stack = shipped('l7_routing.yaml', 'l7')
    listener1, listener2 = stack.output('listener1_url'), stack.output('listener2_url')
    server1, server2 = stack.output('server1_address'), stack.output('server2_address')

    # The Mitaka demo: listener1 -> pool1, except /api -> pool2; listener2 -> pool2.
    assert {served_by_address(get(listener1)) for _ in range(4)} == {server1}
    assert served_by_address(get(listener1 + 'api')) == server2
    assert served_by_address(get(listener1 + 'api/v1/items?x=1')) == server2
    assert served_by_address(get(listener1 + 'apx')) == server1
    assert {served_by_address(get(listener2 + path)) for path in ('', 'x', 'api')} == {server2}
    # HEADER rule: the header present sends the request to pool2.
    assert served_by_address(get(listener1, headers={'X-Beta': '1'})) == server2
    # REJECT.
    assert get(listener1 + 'admin').status_code == 403
    assert get(listener1 + 'admin/users').status_code == 403
    assert get(listener2 + 'admin').status_code == 200    # listener2 has no policies
    # HOST_NAME rule + REDIRECT_TO_URL (301).
    redirected = get(listener1 + 'any/path', headers={'Host': 'legacy.example.com'})
    assert (redirected.status_code, redirected.headers['Location']) == (
        301, 'https://www.example.com/')
    # REDIRECT_PREFIX (302): the request path is kept after the prefix.
    redirected = get(listener1 + 'docs/guide/intro.html')
    assert (redirected.status_code, redirected.headers['Location']) == (
        302, 'https://docs.example.com/docs/guide/intro.html')

    policies = stack.devcloud.load_balancer.l7_policies()
    assert sorted(p['action'] for p in policies) == [
        'REDIRECT_PREFIX', 'REDIRECT_TO_POOL', 'REDIRECT_TO_POOL', 'REDIRECT_TO_URL', 'REJECT']
    stack.delete_leaving_nothing()


def test_single_call_lb_serves_both_pools(shipped, devcloud):
    stack = shipped('single_call_lb.yaml', 'one')
    lb_url = stack.output('lb_url')
    web_servers = set(stack.output('web_server_addresses'))
    api_server = stack.output('api_server_address')

    answered = collections.Counter(served_by_address(get(lb_url)) for _ in range(10))
    assert set(answered) == web_servers and set(answered.values()) == {5}   # ROUND_ROBIN
    assert served_by_address(get(lb_url + 'api/x')) == api_server

    tree = stack.output('status_tree')
    pools = tree['loadbalancer']['listeners'][0]['pools']
    assert sorted(len(pool['members']) for pool in pools) == [1, 2]
    assert sorted(set(pool['provisioning_status'] for pool in pools)) == ['ACTIVE']
    stack.delete_leaving_nothing()


def _color(response):
    return 'green' if 'green_members' in response.text else 'blue'


def _colors(url, count=8):
    return {_color(get(url)) for _ in range(count)}


def test_blue_green_switch_by_stack_update_fails_no_request(shipped, devcloud):
    stack = shipped('blue_green.yaml', 'bg')
    lb_url, preview_url = stack.output('lb_url'), stack.output('preview_url')
    assert _colors(lb_url) == {'blue'}
    assert _colors(preview_url) == {'green'}

    for color in ('green', 'blue'):
        with RequestLoad(lb_url, paths=('', ''), classify=_color) as load:
            time.sleep(1)
            began = time.monotonic()
            devcloud.heat.update('bg', parameters={'live_color': color})
            print('switch to %s: stack update %.1f s' % (color, time.monotonic() - began))
            assert stack_status(devcloud, 'bg')[0] == 'UPDATE_COMPLETE'
            time.sleep(1)
        assert load.failures == []
        assert load.answered > 20, load.answers
        assert load.answers[color] > 0, load.answers
        assert _colors(lb_url) == {color}
        assert _colors(preview_url) == {'green', 'blue'} - {color}
        assert stack.output('live_color') == color
    stack.delete_leaving_nothing()
