"""The devcloud runs a real Heat whose scaling signals work under noauth.

Starts ``heat-lbaas-devcloud up`` once for the module (state in a temp dir, free
ports), drives Heat's REST API directly and always runs ``down`` afterwards, then
checks by PID that nothing it started is left.
"""

import importlib.util
import json
import os
import pathlib
import subprocess
import sys
import time

import pytest
import requests

BIN = pathlib.Path(sys.executable).parent
DEVCLOUD = str(BIN / 'heat-lbaas-devcloud')

ASG_TEMPLATE = {
    'heat_template_version': '2018-08-31',
    'resources': {
        'group': {
            'type': 'OS::Heat::AutoScalingGroup',
            'properties': {
                'min_size': 1, 'max_size': 3, 'desired_capacity': 1,
                'resource': {'type': 'OS::Heat::RandomString'},
            },
        },
        'scale_up': {
            'type': 'OS::Heat::ScalingPolicy',
            'properties': {
                'adjustment_type': 'change_in_capacity',
                'auto_scaling_group_id': {'get_resource': 'group'},
                'scaling_adjustment': 1,
                'cooldown': 0,
            },
        },
    },
    'outputs': {
        'size': {'value': {'get_attr': ['group', 'current_size']}},
        'signal_url': {'value': {'get_attr': ['scale_up', 'signal_url']}},
    },
}

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec('heat_lbaas.controller.service') is None,
    reason='the controller (heat_lbaas.controller.service) is not built yet')


def run_devcloud(env, *args, timeout=120):
    return subprocess.run([DEVCLOUD, *args], env=env, capture_output=True,
                          text=True, timeout=timeout)


def pids_in(state_dir):
    pid_files = list((state_dir / 'pids').glob('*.pid'))
    pid_files += (state_dir / 'controller' / 'amphorae').glob('*/haproxy.pid')
    pid_files += (state_dir / 'webservers').glob('*.pid')
    return {int(f.read_text().split()[0]) for f in pid_files}


def is_alive(pid):
    try:
        stat = pathlib.Path('/proc/%d/stat' % pid).read_text()
    except OSError:
        return False
    return stat.rsplit(')', 1)[1].split()[0] not in ('Z', 'X')


@pytest.fixture(scope='module')
def devcloud(tmp_path_factory):
    state_dir = tmp_path_factory.mktemp('devcloud')
    env = dict(os.environ, HEAT_LBAAS_DEVCLOUD_DIR=str(state_dir))
    started = set()
    try:
        began = time.monotonic()
        up = run_devcloud(env, 'up')
        started = pids_in(state_dir)
        assert up.returncode == 0, up.stdout + up.stderr
        print('devcloud up took %.1f s' % (time.monotonic() - began))
        settings = json.loads((state_dir / 'devcloud.json').read_text())
        yield {'env': env, 'state_dir': state_dir, 'settings': settings,
               'heat': 'http://127.0.0.1:%d/v1/%s' % (settings['heat_port'],
                                                      settings['project_id'])}
    finally:
        started |= pids_in(state_dir)
        down = run_devcloud(env, 'down')
        assert down.returncode == 0, down.stdout + down.stderr
        left = [pid for pid in started if is_alive(pid)]
        assert not left, 'processes left after down: %s' % left
        assert not list((state_dir / 'pids').glob('*.pid'))


def wait_for_stack(heat, name, wanted, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        response = requests.get('%s/stacks/%s' % (heat, name), timeout=10)
        if response.status_code == 404 and wanted == 'DELETE_COMPLETE':
            return None
        stack = response.json()['stack']
        if stack['stack_status'] == wanted:
            return stack
        assert not stack['stack_status'].endswith('FAILED'), stack
        assert time.monotonic() < deadline, stack['stack_status']
        time.sleep(0.2)


def outputs(stack):
    return {o['output_key']: o['output_value'] for o in stack['outputs']}


def test_up_again_is_a_no_op(devcloud):
    before = pids_in(devcloud['state_dir'])
    again = run_devcloud(devcloud['env'], 'up')
    assert again.returncode == 0, again.stderr
    assert 'already running' in again.stdout
    assert pids_in(devcloud['state_dir']) == before


def test_env_and_status(devcloud):
    exports = run_devcloud(devcloud['env'], 'env').stdout
    assert 'OS_CLOUD=devcloud' in exports
    assert 'HEAT_LBAAS_VIP_SUBNET_ID=%s' % (
        devcloud['settings']['vip_subnet_id']) in exports
    status = run_devcloud(devcloud['env'], 'status')
    assert status.returncode == 0, status.stdout
    assert devcloud['settings']['vip_subnet_id'] in status.stdout


def test_scaling_signal_grows_the_group(devcloud):
    heat = devcloud['heat']
    began = time.monotonic()
    response = requests.post('%s/stacks' % heat, timeout=10, json={
        'stack_name': 'asg', 'template': ASG_TEMPLATE})
    assert response.status_code == 201, response.text
    stack = wait_for_stack(heat, 'asg', 'CREATE_COMPLETE')
    print('ASG stack create took %.1f s' % (time.monotonic() - began))
    assert outputs(stack)['size'] == 1

    began = time.monotonic()
    signal = requests.post(outputs(stack)['signal_url'], timeout=30)
    assert signal.status_code == 200, signal.text
    deadline = time.monotonic() + 30
    while outputs(wait_for_stack(heat, 'asg', stack['stack_status']))['size'] != 2:
        assert time.monotonic() < deadline, 'the group did not grow'
        time.sleep(0.2)
    print('scale step took %.1f s' % (time.monotonic() - began))

    began = time.monotonic()
    deleted = requests.delete('%s/stacks/asg/%s' % (heat, stack['id']), timeout=10)
    assert deleted.status_code == 204, deleted.text
    wait_for_stack(heat, 'asg', 'DELETE_COMPLETE')
    print('ASG stack delete took %.1f s' % (time.monotonic() - began))


def test_openstack_cli_reaches_heat_and_controller(devcloud):
    env = dict(devcloud['env'],
               OS_CLIENT_CONFIG_FILE=str(devcloud['state_dir'] / 'clouds.yaml'),
               OS_CLOUD='devcloud')
    openstack = str(BIN / 'openstack')
    for command in (['stack', 'list'],
                    ['orchestration', 'resource', 'type', 'list'],
                    ['loadbalancer', 'list']):
        result = subprocess.run([openstack, *command, '-f', 'json'], env=env,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, (command, result.stderr)
        json.loads(result.stdout)
    types = subprocess.run([openstack, 'orchestration', 'resource', 'type',
                            'list', '-f', 'value'], env=env,
                           capture_output=True, text=True, timeout=60).stdout
    assert 'LBaaS::LoadBalancer' in types


def test_openstacksdk_reaches_heat_and_controller(devcloud):
    code = ("import openstack; c = openstack.connect(cloud='devcloud'); "
            "print(len(list(c.orchestration.stacks())), "
            "len(list(c.load_balancer.load_balancers())))")
    env = dict(devcloud['env'],
               OS_CLIENT_CONFIG_FILE=str(devcloud['state_dir'] / 'clouds.yaml'))
    result = subprocess.run([sys.executable, '-c', code], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
