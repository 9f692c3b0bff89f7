"""Two amphorae as Octavia's ACTIVE_STANDBY runs them, without the controller: two
amphora namespaces of the namespace topology (amphora/netns.py) on its bridge, each
with keepalived inside (the configuration keepalived_render renders) and an HAProxy
on the host listening inside it, as the controller runs them, and a request loop
from the host to the VIP.

HAProxy answers by itself with its amphora's name, so each answer says which amphora
holds the VIP. Killing the MASTER's HAProxy (its check script fails) or every process
of the MASTER's namespace (its advertisements stop) hands the VIP to the BACKUP; the
test prints the failed requests and the time until the BACKUP serves, and checks that
no request fails once it does.
"""
import os
import shutil
import signal
import subprocess
import time
import uuid

import pytest

from heat_lbaas.controller.amphora import haproxy_process
from heat_lbaas.controller.amphora import keepalived_process
from heat_lbaas.controller.amphora import keepalived_render
from heat_lbaas.controller.amphora import netns
from heat_lbaas.controller.amphora import unix_socket
from tests.support import controller as controller_support
from tests.support import haproxy_config
from tests.support import http_lb
from tests.support import namespaces
from tests.support import processes
from tests.support import vip_probe

pytestmark = namespaces.needs_namespaces

LB_ID = '6f4d8c1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f'
PORT = 80


class Amphora:
    def __init__(self, topology, state_dir, name, role):
        self.topology, self.name, self.role = topology, name, role
        self.timing = None      # set when keepalived starts
        self.id = str(uuid.uuid4())
        namespace = topology.create_amphora(self.id)
        self.namespace = namespace.name
        self.directory = os.path.join(state_dir, name)
        os.makedirs(self.directory)
        self.haproxy_config = os.path.join(self.directory, 'haproxy.cfg')
        self.keepalived = keepalived_process.Keepalived(self.directory, self.namespace)
        self.vrrp = keepalived_render.VrrpAmphora(
            amphora_id=self.id, role=role, vrrp_ip=namespace.address,
            interface=netns.INSIDE_DEVICE,
            stats_socket=os.path.join(self.directory, 'stats'))

    def holds(self, address):
        return address in self.topology.vips(self.id)

    def start_haproxy(self, vip):
        with open(self.haproxy_config, 'w') as config:
            config.write(haproxy_process.listeners_in_namespace(haproxy_config.answering(
                os.path.join(self.directory, 'stats'), vip, PORT, self.name),
                self.namespace))
        with open(os.path.join(self.directory, 'haproxy.log'), 'ab') as log:
            self.haproxy_master = subprocess.Popen(
                ['haproxy', '-W', '-f', self.haproxy_config],
                stdout=log, stderr=log, start_new_session=True).pid
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                unix_socket.exchange(self.vrrp.stats_socket, 'show info', timeout=1)
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError('HAProxy of %s did not start' % self.name)

    def haproxy_pids(self):
        return processes.with_argument_containing(self.haproxy_config)


@pytest.fixture
def pair(request):
    # The advertisement interval (seconds) a test asks for with indirect
    # parametrisation, else the default [keepalived_vrrp] timing.
    timing = keepalived_render.VrrpTiming(advert_int=getattr(request, 'param', 1))
    names = namespaces.Names()
    state_dir = controller_support.short_state_dir()
    topology = netns.NamespaceTopology(state_dir, names.cidr, names.bridge, names.prefix)
    topology.check()
    amphorae = []
    try:
        vip = str(topology.vip_addresses()[1])
        amphorae = [Amphora(topology, state_dir, 'a', keepalived_render.MASTER),
                    Amphora(topology, state_dir, 'b', keepalived_render.BACKUP)]
        for amphora in amphorae:
            amphora.start_haproxy(vip)
        master, backup = amphorae
        for amphora, peer in (amphorae, amphorae[::-1]):
            amphora.timing = timing
            amphora.keepalived.apply(keepalived_render.render(
                LB_ID, vrrp_id=51, auth_pass='pair51', vip_address=vip,
                vip_prefixlen=32, amphora=amphora.vrrp, peers=[peer.vrrp],
                timing=timing, script_user='root'))
            # As the driver does: nopreempt leaves the VIP where it lands first, so
            # the MASTER takes it before the BACKUP starts.
            http_lb.wait_for(lambda: master.holds(vip), 30, 'the MASTER holds the VIP')
        assert not backup.holds(vip)
        yield vip, master, backup
    finally:
        for amphora in amphorae:
            amphora.keepalived.stop()
            for pid in amphora.haproxy_pids():
                os.kill(pid, signal.SIGKILL)
        topology.teardown()
        shutil.rmtree(state_dir, ignore_errors=True)
    names.namespaces()
    assert names.leftovers() == []


def _switch(vip, master, backup, kill):
    """Kill the MASTER under a request loop; returns (seconds to serve again, failures)."""
    with vip_probe.VipProbe(vip, PORT) as probe:
        probe.wait_for_answer(master.name, since=0)
        time.sleep(1)
        killed_at = time.monotonic()
        kill()
        served_again = probe.wait_for_answer(backup.name, since=killed_at)
        time.sleep(2)
        stopped = time.monotonic()
    failures = probe.failures_between(killed_at)
    print('\nVRRP switch after %s (advert_int %s s, check every %s s, fall %s): '
          'BACKUP served %.2f s after the kill; %d failed '
          'requests during the switch, %d answered after it; failures: %s'
          % (kill.__name__, master.timing.advert_int, master.timing.check_interval,
             master.timing.fail_count, served_again - killed_at, len(failures),
             len(probe.answers_between(served_again, stopped)),
             sorted({error for _, error in failures})))
    assert backup.holds(vip)
    assert probe.failures_between(served_again) == []
    # Every answer after the switch is the BACKUP's: the VIP moved, not shared.
    assert {answer for _, answer in probe.answers_between(served_again)} == {backup.name}
    return served_again - killed_at, failures


def test_killing_the_masters_haproxy_hands_the_vip_to_the_backup(pair):
    vip, master, backup = pair

    def kill_haproxy():
        for pid in master.haproxy_pids():
            os.kill(pid, signal.SIGKILL)

    _switch(vip, master, backup, kill_haproxy)
    # keepalived of the old MASTER gave the VIP up (FAULT), and nopreempt keeps it
    # away once its HAProxy is back.
    http_lb.wait_for(lambda: not master.holds(vip), 30, 'the old MASTER drops the VIP')
    master.start_haproxy(vip)
    time.sleep(4)
    assert backup.holds(vip)
    assert not master.holds(vip)


# A MASTER that stops entirely is noticed after about three advertisement intervals:
# with Octavia's 1 s that is over 3 s; 0.5 s (VRRP version 3) brings it under 2 s.
@pytest.mark.parametrize('pair', [1, 0.5], indirect=True,
                         ids=['advert_int=1', 'advert_int=0.5'])
def test_killing_every_process_of_the_masters_namespace_hands_the_vip_over(pair):
    vip, master, backup = pair

    def kill_namespace():
        for pid in namespaces.amphora_processes(master.namespace, master.haproxy_master):
            os.kill(pid, signal.SIGKILL)

    _switch(vip, master, backup, kill_namespace)
