"""End to end on the devcloud in namespace mode: the active/standby variant of the
autoscaled web tier (templates/autoscaling_web.yaml with environments/active-standby.yaml)
through the real `openstack` CLI: an operator's ACTIVE_STANDBY flavor, the stack, its
two amphorae (`openstack loadbalancer amphora list/show`), the MASTER killed under load
with the stack running (the BACKUP takes the VIP, the controller rebuilds the dead
amphora as the new BACKUP), an amphora failover, and a delete that leaves nothing."""
import json
import os
import pathlib
import signal
import time
import urllib.parse

import pytest

from tests.support import active_standby
from tests.support import devcloud as devcloud_support
from tests.support import processes
from tests.support import request_load
from tests.support import vip_probe
from tests.support.stacks import assert_nothing_left

ROOT = pathlib.Path(__file__).resolve().parents[2]
# environments/active-standby.yaml names this flavor.
FLAVOR = 'active-standby'


def _amphorae(devcloud, lb_id):
    """{role: amphora}, read in the test process: the waits below look often, and a
    CLI process per look loaded the machine while the VIP moved."""
    return {a['role']: a for a in devcloud.load_balancer.amphorae(lb_id)}


def _wait(condition, timeout, message):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(message)


def _vip_holder(devcloud, vip, amphorae):
    """The amphora whose namespace holds the VIP (waiting for one to)."""
    prefix = devcloud.settings['namespace_prefix']
    holders = []
    _wait(lambda: holders.extend(a for a in amphorae
                                 if active_standby.holds_vip(prefix, a, vip)) or holders,
          30, 'no amphora holds the VIP')
    return holders[0]


def _lb_active(devcloud, lb_id):
    return devcloud.load_balancer.load_balancer(lb_id)['provisioning_status'] == 'ACTIVE'


@pytest.fixture(scope='module')
def devcloud(tmp_path_factory):
    """A devcloud of its own in namespace mode (the session's runs on loopback)."""
    own = devcloud_support.Devcloud(tmp_path_factory.mktemp('namespace-devcloud'))
    try:
        own.up('--amphora-network', 'namespace')
        yield own
    finally:
        own.down()


def test_active_standby_web_tier_survives_its_master(devcloud):
    assert devcloud.settings['amphora_network'] == 'namespace'
    status = devcloud.run('status').stdout
    assert 'amphorae:    namespace (each amphora in a network namespace %s-*, bridge ' \
           '%s)' % (devcloud.settings['namespace_prefix'],
                    devcloud.settings['namespace_bridge']) in status
    assert 'VIP subnet:  %s (%s)' % (devcloud.settings['vip_subnet_id'],
                                     devcloud.settings['namespace_cidr']) in status
    profile = devcloud.openstack_json(
        'loadbalancer', 'flavorprofile', 'create', '--name', 'e2e-active-standby',
        '--provider', 'amphora',
        '--flavor-data', json.dumps({'loadbalancer_topology': 'ACTIVE_STANDBY'}))
    flavor = devcloud.openstack_json('loadbalancer', 'flavor', 'create', '--name', FLAVOR,
                                     '--flavorprofile', profile['id'], '--enable')
    try:
        _exercise(devcloud)
    finally:
        devcloud.openstack('loadbalancer', 'flavor', 'delete', flavor['id'], check=False)
        devcloud.openstack('loadbalancer', 'flavorprofile', 'delete', profile['id'],
                           check=False)


def _exercise(devcloud):
    devcloud.openstack('stack', 'create', '-t', str(ROOT / 'templates/autoscaling_web.yaml'),
                       '-e', str(ROOT / 'environments/devcloud.yaml'),
                       '-e', str(ROOT / 'environments/active-standby.yaml'),
                       '--parameter', 'desired_size=2', '--wait', '--poll', '1', 'ha-web',
                       timeout=600)
    lb_url = devcloud.heat.output('ha-web', 'lb_url')
    lb, = devcloud.load_balancer.load_balancers()
    assert lb['flavor_id']
    roles = _amphorae(devcloud, lb['id'])
    assert set(roles) == {'MASTER', 'BACKUP'}
    master, backup = roles['MASTER'], roles['BACKUP']
    shown = devcloud.openstack_json('loadbalancer', 'amphora', 'show', master['id'])
    assert (shown['role'], shown['vrrp_priority'], shown['ha_ip']) == (
        'MASTER', 100, lb['vip_address'])
    started = devcloud.pids()
    url = urllib.parse.urlsplit(lb_url)

    # Under load (keep-alive clients, quick and slow, and a loop of new connections),
    # the acting MASTER's HAProxy is killed: the amphora holding the VIP. That is the
    # MASTER elected at creation unless keepalived moved the VIP since (a check that
    # missed its deadline on a loaded machine; nopreempt keeps the VIP where it went,
    # as in Octavia, whose roles stay those of the configuration).
    with request_load.RequestLoad(lb_url) as load, \
            vip_probe.VipProbe(url.hostname, url.port) as probe:
        probe.wait_for_any_answer(since=0)
        time.sleep(2)
        acting = _vip_holder(devcloud, lb['vip_address'], (master, backup))
        survivor = backup if acting is master else master
        if acting is not master:
            print('\nthe VIP had moved to the BACKUP before the kill')
        killed_at = time.monotonic()
        pattern = os.path.join('active-standby', 'amphorae', acting['id'], 'haproxy.cfg')
        for pid in processes.with_argument_containing(pattern):
            os.kill(pid, signal.SIGKILL)
        first_failure = probe.wait_for_failure(since=killed_at)
        served_again = probe.wait_for_any_answer(since=first_failure)
        _wait(lambda: acting['id'] not in {a['id'] for a in
                                           _amphorae(devcloud, lb['id']).values()},
              90, 'the dead MASTER was not rebuilt')
        _wait(lambda: _lb_active(devcloud, lb['id']), 90, 'not ACTIVE after failover')
        # Then an operator fails the new BACKUP over: nothing fails meanwhile.
        rebuilt = _amphorae(devcloud, lb['id'])
        devcloud.openstack('loadbalancer', 'amphora', 'failover', rebuilt['BACKUP']['id'])
        _wait(lambda: rebuilt['BACKUP']['id'] not in {
            a['id'] for a in _amphorae(devcloud, lb['id']).values()}, 90,
            'the BACKUP was not failed over')
        _wait(lambda: _lb_active(devcloud, lb['id']), 90, 'not ACTIVE after failover')
        time.sleep(2)
        stopped = time.monotonic()
    # The switch window: from the kill until the BACKUP serves.
    window_failures = probe.failures_between(killed_at, served_again)
    load_failures = load.failures_since(served_again + 1)
    print('\nactive/standby web tier, MASTER HAProxy SIGKILLed: served again %.2f s '
          'after the kill; new-connection loop: %d failed in the switch window, %d '
          'after (%d answered); keep-alive clients: %d failed (%d before the switch was '
          'over), %d answered'
          % (served_again - killed_at, len(window_failures),
             len(probe.failures_between(served_again)),
             len(probe.answers_between(served_again, stopped)),
             len(load.failures), len(load.failures) - len(load_failures), load.answered))
    assert probe.failures_between(served_again) == []
    # A keep-alive connection open on the dead HAProxy fails once; none after.
    assert load_failures == []
    after = _amphorae(devcloud, lb['id'])
    assert after['MASTER']['id'] == survivor['id']
    assert after['BACKUP']['id'] not in (master['id'], backup['id'],
                                         rebuilt['BACKUP']['id'])

    devcloud.remember_pids()
    started |= devcloud.pids()
    devcloud.heat.delete('ha-web')
    assert_nothing_left(devcloud, lb['id'], started)
    assert not list((devcloud.state_dir / 'controller' / 'active-standby' / 'groups'
                     ).glob('*.json'))
