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

from tests.support.request_load import RequestLoad
from tests.support.stacks import delete_leaving_nothing, output_value, stack_status

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEVCLOUD_ENV = ('environments/devcloud.yaml',)
REAL_CLOUD_ENV = ('environments/openstack.yaml',
                  'tests/e2e/environments/no_nova_neutron_aodh.yaml')
TOP_TEMPLATES = ('autoscaling_web', 'l7_routing', 'single_call_lb', 'blue_green')
VALIDATIONS = [(template, environments) for template in TOP_TEMPLATES
               for environments in (DEVCLOUD_ENV, REAL_CLOUD_ENV)]


def _environment_args(environments):
    return [arg for env in environments for arg in ('-e', str(ROOT / env))]


def _without_cli_noise(text):
    # python-blazarclient's broken command registration, printed by every command.
    return '\n'.join(line for line in text.splitlines() if 'reservation_host' not in line)


@pytest.mark.parametrize('template,environments', VALIDATIONS,
                         ids=['%s+%s' % (t, 'devcloud' if e == DEVCLOUD_ENV else 'openstack')
                              for t, e in VALIDATIONS])
def test_template_validates_with_its_environment(devcloud, template, environments):
    path = str(ROOT / 'templates' / (template + '.yaml'))
    env_args = _environment_args(environments)
    validated = devcloud.openstack('orchestration', 'template', 'validate', '--show-nested',
                                   '-t', path, *env_args, check=False)
    assert validated.returncode == 0, _without_cli_noise(validated.stdout + validated.stderr)
    # `template validate` checks the template's structure but not resource properties;
    # a preview (create --dry-run) validates every property and nested template and
    # creates nothing.
    previewed = devcloud.openstack('stack', 'create', '--dry-run', '-t', path, *env_args,
                                   'preview-%s' % template.replace('_', '-'), check=False)
    assert previewed.returncode == 0, _without_cli_noise(previewed.stdout + previewed.stderr)
    assert devcloud.openstack_json('loadbalancer', 'list') == []


class ShippedStack:
    """A stack of a shipped template on the devcloud, deleted at the end by the test,
    which then checks that its load balancer and processes are gone."""

    def __init__(self, devcloud, template, name, *parameters):
        self.devcloud, self.name = devcloud, name
        lbs_before = {lb['id'] for lb in devcloud.openstack_json('loadbalancer', 'list')}
        began = time.monotonic()
        devcloud.openstack('stack', 'create', '-t', str(ROOT / 'templates' / template),
                           *_environment_args(DEVCLOUD_ENV),
                           *[arg for p in parameters for arg in ('--parameter', p)],
                           '--wait', '--poll', '1', name, check=False, timeout=600)
        print('%s: stack create %.1f s' % (template, time.monotonic() - began))
        status, reason = stack_status(devcloud, name)
        assert status == 'CREATE_COMPLETE', reason
        self.lb_ids = [lb['id'] for lb in devcloud.openstack_json('loadbalancer', 'list')
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

    def create(template, name, *parameters):
        made.append(name)
        return ShippedStack(devcloud, template, name, *parameters)

    yield create
    for name in made:
        devcloud.openstack('stack', 'delete', '-y', '--wait', name, check=False, timeout=600)


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

    policies = stack.devcloud.openstack_json('loadbalancer', 'l7policy', 'list')
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
            devcloud.openstack('stack', 'update', '--existing', '--parameter',
                               'live_color=%s' % color, '--wait', 'bg', timeout=600)
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
