"""The ACTIVE_STANDBY amphora driver (amphora/active_standby.py) with real namespaces,
HAProxy and keepalived, driven as the worker drives it: place_vip and apply a
configuration, change it, lose the MASTER, fail over. A request loop from the host
to the VIP counts failed requests through all of it."""
import os
import shutil
import signal
import time

import pytest

from heat_lbaas.controller.amphora import active_standby
from heat_lbaas.controller.amphora import keepalived_render
from heat_lbaas.controller.amphora import netns
from tests.support import controller as controller_support
from tests.support import haproxy_config
from tests.support import http_lb
from tests.support import namespaces
from tests.support import processes
from tests.support import vip_probe

pytestmark = namespaces.needs_namespaces

LB_ID = '3c6e1d2f-8a4b-4c5d-9e0f-1a2b3c4d5e6f'
PORT = 80


@pytest.fixture
def pair():
    names = namespaces.Names()
    state_dir = controller_support.short_state_dir()
    topology = netns.NamespaceTopology(state_dir, names.cidr, names.bridge, names.prefix)
    topology.check()
    driver = active_standby.ActiveStandbyDriver(state_dir, topology,
                                                keepalived_render.VrrpTiming())
    vip = str(topology.vip_addresses()[1])
    try:
        yield driver, vip
    finally:
        driver.remove(LB_ID)
        driver.stop_all()
        topology.teardown()
        shutil.rmtree(state_dir, ignore_errors=True)
    names.namespaces()
    assert names.leftovers() == []


def _config(driver, vip, version):
    return haproxy_config.answering(driver.stats_socket_path(LB_ID), vip, PORT, version)


def _roles(driver):
    return {state.role: state for state in driver.amphorae(LB_ID)}


def _holder(driver):
    holders = [s for s in driver.amphorae(LB_ID) if s.holds_vip]
    return holders[0] if len(holders) == 1 else None


def _held_by(driver, amphora_id):
    holder = _holder(driver)
    return holder is not None and holder.amphora_id == amphora_id


def _haproxy_pids(driver, amphora_id):
    return processes.with_argument_containing(driver.haproxy.config_path(amphora_id))


def test_a_pair_serves_changes_without_loss_and_rebuilds_a_dead_master(pair):
    driver, vip = pair
    driver.place_vip(LB_ID, vip)
    driver.apply(LB_ID, _config(driver, vip, 'v1'))
    roles = _roles(driver)
    assert set(roles) == {'MASTER', 'BACKUP'}
    master, backup = roles['MASTER'], roles['BACKUP']
    assert (master.vrrp_priority, backup.vrrp_priority) == (100, 90)
    assert master.vrrp_ip != backup.vrrp_ip and master.ha_ip == backup.ha_ip == vip
    http_lb.wait_for(lambda: _held_by(driver, master.amphora_id), 30,
                     'the MASTER holds the VIP')
    with vip_probe.VipProbe(vip, PORT) as probe:
        probe.wait_for_answer('v1', since=0)
        # A change reaches both amphorae with no failed request.
        changed_at = time.monotonic()
        driver.apply(LB_ID, _config(driver, vip, 'v2'))
        probe.wait_for_answer('v2', since=changed_at)
        time.sleep(0.5)
        assert probe.failures_between(changed_at) == []
        for amphora_id in (master.amphora_id, backup.amphora_id):
            assert '"v2"' in open(driver.haproxy.config_path(amphora_id)).read()
        # The MASTER's HAProxy dies: the BACKUP takes the VIP ...
        killed_at = time.monotonic()
        for pid in _haproxy_pids(driver, master.amphora_id):
            os.kill(pid, signal.SIGKILL)
        http_lb.wait_for(lambda: _held_by(driver, backup.amphora_id), 30,
                         'the BACKUP takes the VIP')
        first_failure = probe.wait_for_failure(since=killed_at)
        served_again = probe.wait_for_answer('v2', since=first_failure)
        assert driver.crashed(LB_ID)
        # ... and the failover rebuilds the dead one as the new BACKUP, the
        # survivor being MASTER now, with no request failing meanwhile.
        rebuilt_at = time.monotonic()
        driver.restart(LB_ID, _config(driver, vip, 'v2'))
        time.sleep(3)
        stopped = time.monotonic()
    print('\nACTIVE_STANDBY: %d failed requests during the config change; MASTER '
          'HAProxy killed: served again after %.2f s, %d failed requests; %d failed '
          'during the rebuild of the new BACKUP (%d answered)'
          % (len(probe.failures_between(changed_at, killed_at)),
             served_again - killed_at, len(probe.failures_between(killed_at, served_again)),
             len(probe.failures_between(rebuilt_at)),
             len(probe.answers_between(rebuilt_at, stopped))))
    assert probe.failures_between(served_again) == []
    roles = _roles(driver)
    assert roles['MASTER'].amphora_id == backup.amphora_id
    assert roles['BACKUP'].amphora_id not in (master.amphora_id, backup.amphora_id)
    assert _held_by(driver, backup.amphora_id)
    assert not driver.crashed(LB_ID)
    # The dead amphora's namespace is gone; the new BACKUP's runs HAProxy and keepalived.
    assert master.amphora_id not in driver.topology.namespaces()
    assert _haproxy_pids(driver, roles['BACKUP'].amphora_id)
