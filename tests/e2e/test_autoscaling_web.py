"""End to end on the devcloud: the shipped autoscaling template, real HTTP requests
through the load balancer's VIP, a scale-up signal, and a delete that leaves no load
balancer and no process behind. The first test goes the README's way, through the
real `openstack` CLI (one process per command), so "the CLI works unchanged" stays
covered; the others use the in-process clients (tests/support/heat_client.py)."""
import collections
import json
import pathlib
import time

import pytest
import requests
from heatclient import exc as heat_exc

from tests.support import devcloud as devcloud_support
from tests.support import processes
from tests.support import request_load
from tests.support.stacks import assert_nothing_left, output_value, stack_status

ROOT = pathlib.Path(__file__).resolve().parents[2]
TEMPLATES = pathlib.Path(__file__).parent / 'templates'


def served_by(url, count):
    return collections.Counter(
        requests.get(url, timeout=5).text.strip() for _ in range(count))


def cli_output(devcloud, stack, key):
    """`openstack stack output show <stack> <key> -f value -c output_value`, as the
    README reads the URLs."""
    return devcloud.openstack('stack', 'output', 'show', stack, key, '-f', 'value',
                              '-c', 'output_value').stdout.strip()


def test_autoscaled_web_tier_balances_scales_and_deletes_cleanly(devcloud):
    began = time.monotonic()
    devcloud.openstack('stack', 'create', '-t', str(ROOT / 'templates/autoscaling_web.yaml'),
                       '-e', str(ROOT / 'environments/devcloud.yaml'),
                       '--parameter', 'desired_size=2', '--wait', '--poll', '1', 'web')
    print('stack create: %.1f s' % (time.monotonic() - began))
    assert stack_status(devcloud, 'web')[0] == 'CREATE_COMPLETE'
    web_server_pids = devcloud.pids()
    lb_url = cli_output(devcloud, 'web', 'lb_url')
    assert lb_url == output_value(devcloud, 'web', 'lb_url')

    members = served_by(lb_url, 20)
    assert len(members) == 2, members
    assert all(n == 10 for n in members.values()), members   # ROUND_ROBIN

    began = time.monotonic()
    signal = requests.post(cli_output(devcloud, 'web', 'scale_up_url'), timeout=30)
    assert signal.status_code == 200, signal.text
    deadline = time.monotonic() + 60
    while len(members) < 3:
        assert time.monotonic() < deadline, 'no third member after scale-up: %s' % members
        time.sleep(0.2)
        members = served_by(lb_url, 6)
    print('scale-up to a third member in rotation: %.1f s' % (time.monotonic() - began))
    assert len(served_by(lb_url, 30)) == 3

    lb_ids = [lb['id'] for lb in json.loads(devcloud.openstack(
        'loadbalancer', 'list', '-f', 'json').stdout)]
    assert len(lb_ids) == 1
    devcloud.remember_pids()
    started = devcloud.pids() | web_server_pids
    amphora_dir = str(devcloud.state_dir / 'controller' / 'amphorae' / lb_ids[0])
    assert processes.with_argument_containing(amphora_dir)

    began = time.monotonic()
    devcloud.openstack('stack', 'delete', '-y', '--wait', 'web', timeout=600)
    print('stack delete: %.1f s' % (time.monotonic() - began))
    assert_nothing_left(devcloud, lb_ids[0], started)
    assert devcloud.load_balancer.load_balancers() == []


def test_a_create_the_api_refuses_fails_with_the_api_message(devcloud):
    devcloud.heat.create('dup', TEMPLATES / 'duplicate_listener_port.yaml',
                         parameters={'vip_subnet': devcloud.settings['vip_subnet_id']},
                         check=False)
    status, reason = stack_status(devcloud, 'dup')
    assert status == 'CREATE_FAILED'
    assert ('Another Listener on this Load Balancer is already using protocol HTTP '
            'and protocol_port 8090') in reason
    devcloud.heat.delete('dup')
    assert devcloud.load_balancer.load_balancers() == []


def test_an_unknown_algorithm_is_refused_naming_the_property(devcloud):
    with pytest.raises(heat_exc.HTTPException) as refused:
        devcloud.heat.create('bogus', TEMPLATES / 'bogus_algorithm.yaml',
                             parameters={'vip_subnet': devcloud.settings['vip_subnet_id']},
                             wait=False)
    message = str(refused.value)
    assert 'lb_algorithm' in message and 'BOGUS' in message, message
    assert devcloud.load_balancer.load_balancers() == []


def _wait_for_size(devcloud, stack, wanted, timeout):
    """Seconds until the group's size satisfies wanted(size); fails after timeout."""
    began = time.monotonic()
    while True:
        size = int(output_value(devcloud, stack, 'current_size'))
        if wanted(size):
            return time.monotonic() - began
        assert time.monotonic() - began < timeout, 'group size stuck at %d' % size
        time.sleep(1)


def test_load_alarms_scale_out_under_load_and_back_in_after_it(devcloud):
    """The devcloud's load-based trigger (load_alarms=true: two LBaaS::Dev::LoadAlarm on
    the open connections per member): slow requests from 10 clients (10 connections
    open on 1 member, above connections_high=4) grow the group with no signal sent by
    hand; once the load stops (0 < connections_low=1) it shrinks back to min_size, and
    no request fails on the way. Then the stack delete stops the alarm processes."""
    devcloud.heat.create('loaded', ROOT / 'templates/autoscaling_web.yaml',
                         [ROOT / 'environments/devcloud.yaml'],
                         {'load_alarms': 'true', 'min_size': 1, 'desired_size': 1,
                          'max_size': 3, 'load_alarm_period': 2, 'lb_port': 8094})
    assert stack_status(devcloud, 'loaded')[0] == 'CREATE_COMPLETE'
    alarm_pids = {int(f.read_text()) for f in (devcloud.state_dir / 'alarms').glob('*.pid')}
    assert len(alarm_pids) == 2 and all(devcloud_support.is_alive(p) for p in alarm_pids)
    lb_url = output_value(devcloud, 'loaded', 'lb_url')

    with request_load.RequestLoad(lb_url, paths=('?sleep=1',) * 10) as load:
        grew = _wait_for_size(devcloud, 'loaded', lambda size: size >= 2, timeout=120)
        print('load alarm: a second member %.1f s after the load began' % grew)
        states = output_value(devcloud, 'loaded', 'load_alarm_states')
    assert states['scale_up'] == 'alarm', states
    shrank = _wait_for_size(devcloud, 'loaded', lambda size: size == 1, timeout=180)
    print('load alarm: back to 1 member %.1f s after the load stopped' % shrank)
    assert load.answered > 50
    assert load.failures == []

    devcloud.heat.delete('loaded')
    assert [p for p in alarm_pids if devcloud_support.is_alive(p)] == []
    assert list((devcloud.state_dir / 'alarms').glob('*.pid')) == []


def test_changing_lb_port_of_a_running_stack_keeps_every_member_serving(devcloud):
    """lb_port is the listener's protocol_port, which Octavia cannot change: the
    listener is made anew. The pool (the listener's default pool) and its members
    stay as they are, and serve on the new port. (With the pool created on the
    listener, the pool was made anew too, and the group's members, still naming the
    old pool, failed the update.)"""
    devcloud.heat.create('moved', ROOT / 'templates/autoscaling_web.yaml',
                         [ROOT / 'environments/devcloud.yaml'],
                         {'min_size': 2, 'desired_size': 2, 'lb_port': 8096})
    before = output_value(devcloud, 'moved', 'lb_url')
    assert len(served_by(before, 10)) == 2
    pool = output_value(devcloud, 'moved', 'pool_id')
    member_ids = sorted(output_value(devcloud, 'moved', 'member_ids'))

    devcloud.heat.update('moved', parameters={'lb_port': 8097})
    after = output_value(devcloud, 'moved', 'lb_url')
    assert after == before.replace(':8096/', ':8097/'), after
    assert output_value(devcloud, 'moved', 'pool_id') == pool
    assert sorted(output_value(devcloud, 'moved', 'member_ids')) == member_ids
    assert len(served_by(after, 10)) == 2
    with pytest.raises(requests.ConnectionError):
        requests.get(before, timeout=5)
    devcloud.heat.delete('moved')
    assert devcloud.load_balancer.load_balancers() == []
