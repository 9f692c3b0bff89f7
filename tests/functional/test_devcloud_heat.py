"""The devcloud runs a real Heat whose scaling signals work under noauth.

Uses the session's devcloud (tests/conftest.py: state in a temp dir, free ports,
`down` afterwards with a check by PID that nothing it started is left) and drives
Heat's REST API directly.
"""

import os
import sqlite3
import time

import openstack
import requests

from heat_lbaas.controller.amphora import netns

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
    before = devcloud.pids()
    again = devcloud.run('up')
    assert again.returncode == 0, again.stderr
    assert 'already running' in again.stdout
    assert devcloud.pids() == before


def test_heat_database_never_reuses_row_ids(devcloud):
    """Heat deletes rows by ids it kept (see heat_lbaas/devcloud/sqlite_ids.py): the tables
    it does that on must be AUTOINCREMENT in the database Heat really runs on."""
    connection = sqlite3.connect('file:%s?mode=ro' % (devcloud.state_dir / 'heat.sqlite'),
                                 uri=True)
    try:
        schema = dict(connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    finally:
        connection.close()
    for table in ('resource_properties_data', 'resource', 'raw_template', 'event'):
        assert 'AUTOINCREMENT' in schema[table], schema[table]


def test_env_and_status(devcloud):
    exports = devcloud.run('env').stdout
    assert 'OS_CLOUD=devcloud' in exports
    assert 'HEAT_LBAAS_VIP_SUBNET_ID=%s' % devcloud.settings['vip_subnet_id'] in exports
    status = devcloud.run('status')
    assert status.returncode == 0, status.stdout
    assert devcloud.settings['vip_subnet_id'] in status.stdout


def test_status_says_where_amphorae_run(devcloud):
    """Namespace mode wherever this process can make namespaces (CI runs as root)."""
    status = devcloud.run('status').stdout
    if netns.namespaces_supported():
        assert devcloud.settings['amphora_network'] == 'namespace'
        prefix = devcloud.settings['namespace_prefix']
        assert 'amphorae:    namespace (each amphora in a network namespace %s-*, ' \
               'bridge %s)' % (prefix, devcloud.settings['namespace_bridge']) in status
        assert 'VIP subnet:  %s (%s)' % (devcloud.settings['vip_subnet_id'],
                                         devcloud.settings['namespace_cidr']) in status
        config = (devcloud.state_dir / 'controller.conf').read_text()
        assert 'amphora_network = namespace\nnamespace_cidr = %s\n' % (
            devcloud.settings['namespace_cidr']) in config
        # The bridge exists from the controller's start, before any load balancer.
        assert os.path.exists('/sys/class/net/' + devcloud.settings['namespace_bridge'])
    else:
        assert devcloud.settings['amphora_network'] == 'loopback'
        assert 'amphorae:    loopback' in status


def test_scaling_signal_grows_the_group(devcloud):
    heat = devcloud.heat_url
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
    for command in (['stack', 'list'],
                    ['orchestration', 'resource', 'type', 'list'],
                    ['loadbalancer', 'list']):
        devcloud.openstack_json(*command)
    types = devcloud.openstack('orchestration', 'resource', 'type', 'list',
                               '-f', 'value').stdout
    assert 'LBaaS::LoadBalancer' in types


def test_openstacksdk_reaches_heat_and_controller(devcloud, monkeypatch):
    """As a user's script would: the cloud named by the exports of `heat-lbaas-devcloud
    env`."""
    for name in ('OS_CLIENT_CONFIG_FILE', 'OS_CLOUD'):
        monkeypatch.setenv(name, devcloud.env[name])
    connection = openstack.connect(cloud='devcloud')
    list(connection.orchestration.stacks())            # each raises unless answered
    list(connection.load_balancer.load_balancers())
