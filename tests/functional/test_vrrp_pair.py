"""Two amphorae as Octavia's ACTIVE_STANDBY runs them, without the controller: two
network namespaces on a test bridge, each with HAProxy and keepalived (the
configuration keepalived_render renders), and a request loop from the host to the VIP.

HAProxy answers by itself with its amphora's name, so each answer says which amphora
holds the VIP. Killing the MASTER's HAProxy (its check script fails) or every process
of the MASTER's namespace (its advertisements stop) hands the VIP to the BACKUP; the
test prints the failed requests and the time until the BACKUP serves, and checks that
no request fails once it does.
"""
import os
import signal
import subprocess
import tempfile
import time

import pytest

from heat_lbaas.controller.amphora import keepalived_process
from heat_lbaas.controller.amphora import keepalived_render
from heat_lbaas.controller.amphora import unix_socket
from tests.support import processes
from tests.support import test_namespaces
from tests.support import vip_probe

pytestmark = pytest.mark.skipif(os.geteuid() != 0,
                                reason='network namespaces need root')

LB_ID = '6f4d8c1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f'
PORT = 80
HAPROXY_CONFIG = '''global
    stats socket {directory}/stats mode 600 level admin expose-fd listeners
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend vip
    bind {vip}:{port}
    http-request return status 200 content-type text/plain string "{name}"
'''


class Amphora:
    def __init__(self, bridge, name, role):
        self.name, self.role = name, role
        self.namespace, self.vrrp_ip = bridge.add_namespace(name)
        self.directory = tempfile.mkdtemp(prefix='hlb-vrrp-%s-' % name)
        self.haproxy_config = os.path.join(self.directory, 'haproxy.cfg')
        self.keepalived = keepalived_process.Keepalived(self.directory, self.namespace)
        self.vrrp = keepalived_render.VrrpAmphora(
            amphora_id='%s-amphora' % name, role=role, vrrp_ip=self.vrrp_ip,
            interface='eth0', stats_socket=os.path.join(self.directory, 'stats'))

    def start_haproxy(self, vip):
        with open(self.haproxy_config, 'w') as config:
            config.write(HAPROXY_CONFIG.format(directory=self.directory, vip=vip,
                                               port=PORT, name=self.name))
        with open(os.path.join(self.directory, 'haproxy.log'), 'ab') as log:
            subprocess.Popen(['ip', 'netns', 'exec', self.namespace, 'haproxy', '-W',
                              '-f', self.haproxy_config],
                             stdout=log, stderr=log, start_new_session=True)
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


def _wait(condition, what, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError('%s within %ss' % (what, timeout))


@pytest.fixture
def pair():
    bridge = test_namespaces.TestBridge()
    amphorae = []
    try:
        vip = bridge.address(10)
        amphorae = [Amphora(bridge, 'a', keepalived_render.MASTER),
                    Amphora(bridge, 'b', keepalived_render.BACKUP)]
        for amphora in amphorae:
            amphora.start_haproxy(vip)
        for amphora, peer in (amphorae, amphorae[::-1]):
            amphora.keepalived.apply(keepalived_render.render(
                LB_ID, vrrp_id=51, auth_pass='pair51', vip_address=vip,
                vip_prefixlen=32, amphora=amphora.vrrp, peers=[peer.vrrp],
                timing=keepalived_render.VrrpTiming(), script_user='root'))
        master, backup = amphorae
        _wait(lambda: bridge.holds(master.namespace, vip), 'the MASTER holds the VIP')
        assert not bridge.holds(backup.namespace, vip)
        yield bridge, vip, master, backup
    finally:
        for amphora in amphorae:
            amphora.keepalived.stop()
            for pid in amphora.haproxy_pids():
                os.kill(pid, signal.SIGKILL)
        bridge.remove()


def _switch(bridge, vip, master, backup, kill):
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
    print('\nVRRP switch after %s: BACKUP served %.2f s after the kill; %d failed '
          'requests during the switch, %d answered after it; failures: %s'
          % (kill.__name__, served_again - killed_at, len(failures),
             len(probe.answers_between(served_again, stopped)),
             sorted({error for _, error in failures})))
    assert bridge.holds(backup.namespace, vip)
    assert probe.failures_between(served_again) == []
    # Every answer after the switch is the BACKUP's: the VIP moved, not shared.
    assert {answer for _, answer in probe.answers_between(served_again)} == {backup.name}
    return served_again - killed_at, failures


def test_killing_the_masters_haproxy_hands_the_vip_to_the_backup(pair):
    bridge, vip, master, backup = pair

    def kill_haproxy():
        for pid in master.haproxy_pids():
            os.kill(pid, signal.SIGKILL)

    _switch(bridge, vip, master, backup, kill_haproxy)
    # keepalived of the old MASTER gave the VIP up (FAULT), and nopreempt keeps it
    # away once its HAProxy is back.
    _wait(lambda: not bridge.holds(master.namespace, vip), 'the old MASTER drops the VIP')
    master.start_haproxy(vip)
    time.sleep(4)
    assert bridge.holds(backup.namespace, vip)
    assert not bridge.holds(master.namespace, vip)


def test_killing_every_process_of_the_masters_namespace_hands_the_vip_over(pair):
    bridge, vip, master, backup = pair

    def kill_namespace():
        for pid in test_namespaces.namespace_pids(master.namespace):
            os.kill(pid, signal.SIGKILL)

    _switch(bridge, vip, master, backup, kill_namespace)
