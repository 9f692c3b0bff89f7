"""UDP listeners served for real in namespace mode: nftables in the amphora's
namespace DNATs the VIP's datagrams to the members (amphora/nft_render.py), the
controller checks the members (health/udp_checks.py) and moves them in and out of
the rotation. Real datagrams from the host to the VIP, answered by UDP echo
servers on the bridge's address (the host's address the namespace reaches through
its veth: UDP members are reached from the amphora's namespace, not from the host
as HAProxy's are, so a loopback address will not do)."""
import ipaddress
import os
import shutil
import subprocess

import pytest

from tests.support import controller as controller_support
from tests.support import datagram_echo
from tests.support import datagram_lb
from tests.support import http_lb
from tests.support import namespaces
from tests.support import octavia_api
from tests.support import processes

pytestmark = namespaces.needs_namespaces
# Every amphora has its own namespace, so any port of its VIP is free.
VIP_PORT = 5353
FAST_MONITOR = {'delay': 1, 'timeout': 1, 'max_retries': 1, 'max_retries_down': 1}


class UdpController:
    """A namespace-mode controller of the test's own, with its UDP echo members."""

    def __init__(self):
        self.directory = controller_support.short_state_dir()
        self.names = namespaces.Names()
        self.running = controller_support.RunningController(
            os.path.join(self.directory, 'state'), namespaces=self.names)
        self.api = octavia_api.OctaviaApi(self.running.url)
        # The bridge's own address: on the host, reached from every amphora namespace.
        self.member_address = str(next(ipaddress.ip_network(self.names.cidr).hosts()))
        self.echoes = []

    def __enter__(self):
        self.running.start()
        return self

    def __exit__(self, *exc):
        try:
            for echo in self.echoes:
                echo.stop()
            self.running.stop()
        finally:
            leftovers = self.names.leftovers()
            haproxies = processes.with_argument_containing(
                self.running.state_dir + '/amphorae/')
            shutil.rmtree(self.directory, ignore_errors=True)
        assert haproxies == [], 'HAProxy left running after heat-lbaas-amphorae stop'
        assert leftovers == [], 'namespaces or links left: %s' % leftovers

    def echo(self, name, port=0):
        echo = datagram_echo.DatagramEcho(name, self.member_address, port)
        self.echoes.append(echo)
        return echo

    def stop_echo(self, echo):
        echo.stop()
        self.echoes.remove(echo)

    def namespace_of(self, lb_id):
        name = '%s-%s' % (self.names.prefix, lb_id[:8])
        self.names.namespaces()     # remembered, for the leftovers check
        return name

    def ruleset(self, lb_id):
        """Our table in the amphora's namespace, as nft lists it ('' if none)."""
        result = subprocess.run(['ip', 'netns', 'exec', self.namespace_of(lb_id), 'nft',
                                 'list', 'table', 'ip', 'heat_lbaas'],
                                capture_output=True, text=True, timeout=30)
        return result.stdout


@pytest.fixture
def own():
    with UdpController() as controller:
        yield controller


def member_statuses(api, pool):
    return {m['name']: m['operating_status'] for m in http_lb.members_of(api, pool['id'])}


def answers(vip, count):
    return [datagram_lb.ask(vip, VIP_PORT) for _ in range(count)]


def test_round_robin_every_member_answers_in_turn(own):
    members = [own.echo('m%d' % n) for n in range(3)]
    lb, _, pool = datagram_lb.build_udp_lb(own.api, members, VIP_PORT)
    vip = lb['vip_address']
    answered = answers(vip, 9)
    # numgen inc: each new flow to the next member, in a fixed cycle.
    assert None not in answered, answered
    assert sorted(answered[:3]) == ['m0', 'm1', 'm2']
    assert answered[3:6] == answered[:3] and answered[6:9] == answered[:3]
    # Members answered the amphora (masquerade), which answered from the VIP.
    peers = set().union(*(m.peers for m in members))
    assert len(peers) == 1 and ipaddress.ip_address(peers.pop()) in \
        ipaddress.ip_network(own.names.cidr)
    assert 'numgen inc mod 3' in own.ruleset(lb['id'])
    # No monitor: NO_MONITOR, always in rotation; the statuses as for TCP.
    assert set(member_statuses(own.api, pool).values()) == {'NO_MONITOR'}
    assert own.api.loadbalancer(lb['id'])['operating_status'] == 'ONLINE'
    # UDP only: no HAProxy runs, the namespace stays for the ruleset.
    assert processes.with_argument_containing(own.running.state_dir + '/amphorae/') == []
    own.api.delete_loadbalancer(lb['id'])
    assert own.namespace_of(lb['id']) not in namespaces.listed_namespaces()
    assert datagram_lb.ask(vip, VIP_PORT, timeout=0.5) is None
