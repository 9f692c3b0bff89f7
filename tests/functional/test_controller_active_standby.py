"""ACTIVE_STANDBY load balancers through the controller (amphora_network = namespace):
a flavor whose profile asks for it, two amphorae (MASTER, BACKUP) shown by the amphora
API and openstacksdk, a configuration change under load with no failed request, the
MASTER's HAProxy killed under load (the BACKUP takes the VIP, the controller rebuilds
the dead amphora as the new BACKUP), and an amphora failover through openstacksdk."""
import os
import shutil
import signal
import time

import openstack
import pytest

from tests.support import active_standby
from tests.support import amphora as amphora_support
from tests.support import controller as controller_support
from tests.support import http_lb
from tests.support import namespaces
from tests.support import octavia_api
from tests.support import processes
from tests.support import vip_probe
from tests.support import web_servers

pytestmark = namespaces.needs_namespaces


@pytest.fixture
def own():
    directory = controller_support.short_state_dir()
    names = namespaces.Names()
    running = controller_support.RunningController(os.path.join(directory, 'state'),
                                                   namespaces=names)
    servers = web_servers.WebServers(os.path.join(directory, 'web'))
    running.start()
    try:
        yield running, octavia_api.OctaviaApi(running.url), servers, names
    finally:
        try:
            servers.stop_all()
            running.stop()
        finally:
            names.namespaces()
            leftovers = names.leftovers()
            left = processes.with_argument_containing(running.state_dir + '/')
            shutil.rmtree(directory, ignore_errors=True)
        assert left == [], 'processes left after heat-lbaas-amphorae stop'
        assert leftovers == [], 'namespaces or links left: %s' % leftovers


def _haproxy_of(running, amphora_id):
    return processes.with_argument_containing(os.path.join(
        running.state_dir, 'active-standby', 'amphorae', amphora_id, 'haproxy.cfg'))


def _kill_haproxy(running, names, amphora):
    for pid in _haproxy_of(running, amphora['id']):
        os.kill(pid, signal.SIGKILL)


def _kill_namespace(running, names, amphora):
    """Every process of the amphora, as if its machine died: its HAProxy master's
    process group (master and workers, on the host, listening in the namespace) and
    what runs in its namespace (keepalived and its VRRP child)."""
    namespace = '%s-%s' % (names.prefix, amphora['id'][:8])
    haproxy = _haproxy_of(running, amphora['id'])
    master = amphora_support.AmphoraProbe(os.path.join(
        running.state_dir, 'active-standby')).master_pid(amphora['id'])
    pids = namespaces.amphora_processes(namespace, master)
    assert set(haproxy) <= pids and len(pids - set(haproxy)) >= 2, (haproxy, pids)
    for pid in pids:
        os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize('kill', [_kill_haproxy, _kill_namespace],
                         ids=['haproxy', 'namespace'])
def test_an_active_standby_load_balancer_keeps_serving_through_a_dead_master(own, kill):
    running, api, servers, names = own
    members = servers.start(2)
    lb, pool = active_standby.serving_pair(api, names, members)
    vip = lb['vip_address']
    roles = active_standby.amphorae(api, lb['id'])
    assert set(roles) == {'MASTER', 'BACKUP'}
    master, backup = roles['MASTER'], roles['BACKUP']
    assert (master['vrrp_priority'], backup['vrrp_priority']) == (100, 90)
    assert master['ha_ip'] == backup['ha_ip'] == vip
    assert master['vrrp_ip'] != backup['vrrp_ip'] != vip
    assert master['vrrp_id'] == backup['vrrp_id']
    assert master['vrrp_interface'] == 'eth0'
    http_lb.wait_for(lambda: active_standby.holds_vip(names.prefix, master, vip), 20,
                     'MASTER has no VIP')
    assert not active_standby.holds_vip(names.prefix, backup, vip)

    with vip_probe.VipProbe(vip, active_standby.VIP_PORT) as probe:
        probe.wait_for_any_answer(since=0)
        # A change (a member's weight) reaches both amphorae with no failed request.
        changed_at = time.monotonic()
        member = http_lb.members_of(api, pool['id'])[0]
        api.update_child(lb['id'], '/pools/%s/members/%s' % (pool['id'], member['id']),
                         'member', weight=7)
        for amphora in (master, backup):
            config = os.path.join(running.state_dir, 'active-standby', 'amphorae',
                                  amphora['id'], 'haproxy.cfg')
            assert '%s:%s weight 7' % (member['address'], member['protocol_port']) in (
                open(config).read())
        time.sleep(1)
        assert probe.failures_between(changed_at) == []

        # The MASTER dies under load.
        killed_at = time.monotonic()
        kill(running, names, master)
        first_failure = probe.wait_for_failure(since=killed_at)
        served_again = probe.wait_for_any_answer(since=first_failure)
        # The controller fails over: the dead amphora is rebuilt as the new BACKUP.
        before = {master['id'], backup['id']}
        http_lb.wait_for(lambda: {a['id'] for a in active_standby.amphorae(
            api, lb['id']).values()} != before, 60, 'no failover')
        api.wait_active(lb['id'], timeout=60)
        time.sleep(2)
    failed = probe.failures_between(killed_at, served_again)
    print('\nACTIVE_STANDBY through the controller: config change %d failed requests; '
          'MASTER killed (%s): served again %.2f s after the first failure '
          '(%.2f s after the kill), %d failed requests %s; %d failed after (%d answered)'
          % (len(probe.failures_between(changed_at, killed_at)), kill.__name__,
             served_again - first_failure, served_again - killed_at, len(failed),
             sorted({error for _, error in failed}),
             len(probe.failures_between(served_again)),
             len(probe.answers_between(served_again))))
    assert probe.failures_between(served_again) == []
    roles = active_standby.amphorae(api, lb['id'])
    assert roles['MASTER']['id'] == backup['id']
    assert roles['MASTER']['vrrp_priority'] == 100
    assert roles['BACKUP']['id'] not in (master['id'], backup['id'])
    assert active_standby.holds_vip(names.prefix, roles['MASTER'], vip)
    assert api.octavia_request('GET', '/amphorae/' + master['id']).status_code == 404
    # Statistics come from the amphora holding the VIP.
    stats = api.request('GET', '/loadbalancers/%s/stats' % lb['id']).json()['stats']
    assert stats['total_connections'] > 0


def test_a_pair_outlives_a_controller_restart(own):
    running, api, servers, names = own
    members = servers.start(1)
    lb, _ = active_standby.serving_pair(api, names, members)
    before = active_standby.amphorae(api, lb['id'])
    with vip_probe.VipProbe(lb['vip_address'], active_standby.VIP_PORT) as probe:
        probe.wait_for_any_answer(since=0)
        began = time.monotonic()
        running.kill()
        time.sleep(1)
        running.start()
        api.wait_active(lb['id'], timeout=60)
        time.sleep(1)
    assert probe.failures_between(began) == []
    # Adopted: the same amphorae, roles and VIP holder.
    after = active_standby.amphorae(api, lb['id'])
    assert {r: a['id'] for r, a in after.items()} == {r: a['id'] for r, a in before.items()}
    assert active_standby.holds_vip(names.prefix, after['MASTER'], lb['vip_address'])


def test_openstacksdk_lists_and_fails_over_one_amphora_of_a_pair(own):
    running, api, servers, names = own
    members = servers.start(1)
    lb, _ = active_standby.serving_pair(api, names, members)
    sdk = openstack.connect(auth_type='none', auth={'endpoint': running.url},
                            load_balancer_endpoint_override=running.url)
    listed = {a.role: a for a in sdk.load_balancer.amphorae(loadbalancer_id=lb['id'])}
    assert set(listed) == {'MASTER', 'BACKUP'}
    backup = sdk.load_balancer.get_amphora(listed['BACKUP'].id)
    assert (backup.ha_ip, backup.vrrp_priority) == (lb['vip_address'], 90)
    with vip_probe.VipProbe(lb['vip_address'], active_standby.VIP_PORT) as probe:
        probe.wait_for_any_answer(since=0)
        began = time.monotonic()
        sdk.load_balancer.failover_amphora(backup.id)
        api.wait_active(lb['id'], timeout=60)
        time.sleep(1)
    assert probe.failures_between(began) == []
    after = {a.role: a.id for a in sdk.load_balancer.amphorae(loadbalancer_id=lb['id'])}
    # Only the BACKUP was rebuilt; the MASTER kept serving.
    assert after['MASTER'] == listed['MASTER'].id
    assert after['BACKUP'] not in (listed['BACKUP'].id, listed['MASTER'].id)
