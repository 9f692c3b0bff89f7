"""UDP listeners served for real in namespace mode: nftables in the amphora's
namespace DNATs the VIP's datagrams to the members (amphora/nft_render.py), the
controller checks the members (health/udp_checks.py) and moves them in and out of
the rotation. Real datagrams from the host to the VIP, answered by UDP echo
servers on the bridge's address (the host's address the namespace reaches through
its veth: UDP members are reached from the amphora's namespace, not from the host
as HAProxy's are, so a loopback address will not do)."""
import ipaddress
import os

import pytest

from tests.support import active_standby
from tests.support import datagram_lb
from tests.support import http_lb
from tests.support import namespaces
from tests.support import processes
from tests.support import udp_controller

pytestmark = namespaces.needs_namespaces
# Every amphora has its own namespace, so any port of its VIP is free.
VIP_PORT = 5353
FAST_MONITOR = {'delay': 1, 'timeout': 1, 'max_retries': 1, 'max_retries_down': 1}
@pytest.fixture
def own():
    with udp_controller.UdpController() as controller:
        yield controller


def member_statuses(api, pool):
    return {m['name']: m['operating_status'] for m in http_lb.members_of(api, pool['id'])}


def answers(vip, count):
    return [datagram_lb.ask(vip, VIP_PORT) for _ in range(count)]


def test_round_robin_every_member_answers_in_turn(own):
    members = [own.echo('m%d' % n) for n in range(3)]
    lb, listener, pool = datagram_lb.build_udp_lb(own.api, members, VIP_PORT)
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
    # HAProxy counts nothing of UDP: its listener's statistics read zero (documented).
    stats = own.api.request('GET', '/listeners/%s/stats' % listener['id']).json()['stats']
    assert set(stats.values()) == {0}, stats
    # UDP only: no HAProxy runs, the namespace stays for the ruleset.
    assert processes.with_argument_containing(own.running.state_dir + '/amphorae/') == []
    own.api.delete_loadbalancer(lb['id'])
    assert own.namespace_of(lb['id']) not in namespaces.listed_namespaces()
    assert datagram_lb.ask(vip, VIP_PORT, timeout=0.5) is None


def test_source_ip_persistence_keeps_a_client_on_one_member(own):
    members = [own.echo('m%d' % n) for n in range(3)]
    lb, _, pool = datagram_lb.build_udp_lb(
        own.api, members, VIP_PORT, persistence={
            'type': 'SOURCE_IP', 'persistence_timeout': 60,
            'persistence_granularity': '255.255.255.255'})
    # Every datagram comes from a new socket (a new flow), all from one address.
    answered = set(answers(lb['vip_address'], 12))
    assert len(answered) == 1 and None not in answered, answered
    assert 'jhash ip saddr mod 3' in own.ruleset(lb['id'])
    # Round robin instead: the same client goes everywhere.
    own.api.update_child(lb['id'], '/pools/' + pool['id'], 'pool',
                         session_persistence=None)
    assert set(answers(lb['vip_address'], 6)) == {'m0', 'm1', 'm2'}


def test_a_member_failing_its_udp_check_leaves_rotation_and_comes_back(own):
    members = [own.echo('m%d' % n) for n in range(2)]
    lb, _, pool = datagram_lb.build_udp_lb(own.api, members, VIP_PORT,
                                           monitor=FAST_MONITOR)
    vip = lb['vip_address']
    http_lb.wait_for(lambda: member_statuses(own.api, pool) == {
        'm0': 'ONLINE', 'm1': 'ONLINE'}, 20, 'members not ONLINE: %s'
        % member_statuses(own.api, pool))
    assert set(answers(vip, 4)) == {'m0', 'm1'}
    stopped = members[1]
    own.stop_echo(stopped)
    # Its port answers ICMP port unreachable now: the check fails.
    http_lb.wait_for(lambda: member_statuses(own.api, pool)['m1'] == 'ERROR', 20,
                     'stopped member not ERROR: %s' % member_statuses(own.api, pool))
    assert own.api.loadbalancer(lb['id'])['operating_status'] == 'DEGRADED'
    assert answers(vip, 6) == ['m0'] * 6
    own.echo('m1', stopped.port)
    http_lb.wait_for(lambda: member_statuses(own.api, pool)['m1'] == 'ONLINE', 20,
                     'restarted member not ONLINE: %s' % member_statuses(own.api, pool))
    http_lb.wait_for(lambda: set(answers(vip, 4)) == {'m0', 'm1'}, 10,
                     'the member came back ONLINE but not into rotation')
    assert own.api.loadbalancer(lb['id'])['operating_status'] == 'ONLINE'


def test_members_added_and_removed_under_a_datagram_loop(own):
    first, second = own.echo('m0'), own.echo('m1')
    lb, _, pool = datagram_lb.build_udp_lb(own.api, [first], VIP_PORT)
    with datagram_lb.DatagramLoop(lb['vip_address'], VIP_PORT) as loop:
        loop.wait_for_answer_from('m0')
        added = datagram_lb.add_member(own.api, lb['id'], pool['id'], second)
        loop.wait_for_answer_from('m1')
        response = own.api.request('DELETE', '/pools/%s/members/%s'
                                   % (pool['id'], added['id']))
        assert response.status_code == 204, response.text
        own.api.wait_active(lb['id'])
        after_removal = len(loop.answers)
        loop.wait_for_answer_from('m0')
        loop.wait_for_answer_from('m0')
    print('datagrams: %d, unanswered: %d' % (len(loop.answers), loop.lost))
    assert loop.answered_since(after_removal) == {'m0'}
    assert loop.lost == 0


def test_a_controller_restart_keeps_the_datagrams_flowing(own):
    members = [own.echo('m%d' % n) for n in range(2)]
    lb, _, pool = datagram_lb.build_udp_lb(own.api, members, VIP_PORT,
                                           monitor=FAST_MONITOR)
    http_lb.wait_for(lambda: set(member_statuses(own.api, pool).values()) == {'ONLINE'},
                     20, 'members not ONLINE')
    with datagram_lb.DatagramLoop(lb['vip_address'], VIP_PORT) as loop:
        loop.wait_for_answer_from('m1')
        own.running.kill()
        killed = len(loop.answers)
        # No controller: the ruleset in the namespace serves on its own.
        loop.wait_for_answer_from('m0')
        loop.wait_for_answer_from('m1')
        own.running.start()
        own.api.wait_active(lb['id'])
        loop.wait_for_answer_from('m0')
        loop.wait_for_answer_from('m1')
        restarted = len(loop.answers)
        # The new controller checks the members: a stopped one leaves rotation.
        own.stop_echo(members[1])
        http_lb.wait_for(lambda: member_statuses(own.api, pool)['m1'] == 'ERROR', 20,
                         'stopped member not ERROR after the restart')
        out = len(loop.answers)
        loop.wait_for_answer_from('m0')
        loop.wait_for_answer_from('m0')
    print('datagrams: %d; unanswered: %d while the controller was killed and '
          'restarted, %d between the member\'s stop and its check\'s verdict'
          % (len(loop.answers), loop.answers[:restarted].count(None),
             loop.answers[restarted:out + 1].count(None)))
    assert loop.answered_since(killed) >= {'m0', 'm1'}
    assert None not in loop.answers[:restarted]
    # The datagram in flight at the verdict aside, only m0 answers.
    assert set(loop.answers[out + 1:]) == {'m0'}


def test_udp_beside_http_on_one_load_balancer(own):
    echo = own.echo('dns')
    lb, _, _ = datagram_lb.build_udp_lb(own.api, [echo], VIP_PORT)
    listener = own.api.create_child(lb['id'], 'listeners', 'listener',
                                    loadbalancer_id=lb['id'], protocol='TCP',
                                    protocol_port=VIP_PORT)
    # HAProxy runs for the TCP listener, nftables keeps serving the UDP one.
    assert processes.with_argument_containing(own.running.state_dir + '/amphorae/')
    assert answers(lb['vip_address'], 2) == ['dns', 'dns']
    response = own.api.request('DELETE', '/listeners/' + listener['id'])
    assert response.status_code == 204, response.text
    own.api.wait_active(lb['id'])
    assert answers(lb['vip_address'], 2) == ['dns', 'dns']


@pytest.mark.parametrize('fields,refusal', [
    ({'protocol': 'SCTP'}, 'protocol SCTP is not supported by this controller: this '
                           'kernel has no SCTP'),
    ({'protocol': 'UDP', 'connection_limit': 100}, 'connection_limit 100 is not '
                                                   'supported by this controller for UDP'),
])
def test_what_the_udp_data_plane_cannot_do_is_501(own, fields, refusal):
    lb = own.api.new_loadbalancer()
    response = own.api.request('POST', '/listeners', {'listener': dict(
        loadbalancer_id=lb['id'], protocol_port=VIP_PORT, **fields)})
    assert response.status_code == 501, response.text
    assert refusal in response.json()['faultstring']
    listener = own.api.create_child(lb['id'], 'listeners', 'listener',
                                    loadbalancer_id=lb['id'], protocol='UDP',
                                    protocol_port=VIP_PORT)
    response = own.api.request('POST', '/pools', {'pool': {
        'listener_id': listener['id'], 'protocol': 'UDP',
        'lb_algorithm': 'LEAST_CONNECTIONS'}})
    assert response.status_code == 501, response.text
    assert 'lb_algorithm LEAST_CONNECTIONS' in response.json()['faultstring']


def test_a_failover_keeps_the_datagrams_flowing(own):
    members = [own.echo('m%d' % n) for n in range(2)]
    lb, _, _ = datagram_lb.build_udp_lb(own.api, members, VIP_PORT)
    with datagram_lb.DatagramLoop(lb['vip_address'], VIP_PORT) as loop:
        loop.wait_for_answer_from('m0')
        response = own.api.request('PUT', '/loadbalancers/%s/failover' % lb['id'])
        assert response.status_code == 202, response.text
        own.api.wait_active(lb['id'])
        loop.wait_for_answer_from('m0')
        loop.wait_for_answer_from('m1')
    print('datagrams: %d, unanswered: %d' % (len(loop.answers), loop.lost))
    assert loop.lost == 0


def test_udp_on_an_active_standby_load_balancer_is_501(own):
    """Its VIP moves between two namespaces with keepalived; the nftables data
    plane serves a SINGLE amphora's namespace only, and says so."""
    lb = own.api.new_loadbalancer(flavor_id=active_standby.flavor(own.api)['id'])
    response = own.api.request('POST', '/listeners', {'listener': {
        'loadbalancer_id': lb['id'], 'protocol': 'UDP', 'protocol_port': VIP_PORT}})
    assert response.status_code == 501, response.text
    assert response.json()['faultstring'] == (
        "Provider 'amphora' does not support a requested option: protocol UDP is not "
        "supported by this controller on ACTIVE_STANDBY load balancers: its nftables "
        "UDP data plane serves SINGLE ones only.")
    # The same in a fully populated create.
    response = own.api.request('POST', '/loadbalancers', {'loadbalancer': {
        'vip_subnet_id': lb['vip_subnet_id'], 'flavor_id': lb['flavor_id'],
        'listeners': [{'protocol': 'UDP', 'protocol_port': VIP_PORT}]}})
    assert response.status_code == 501, response.text
    own.api.delete_loadbalancer(lb['id'])


def test_a_change_haproxy_fails_puts_the_udp_ruleset_back(own):
    """The ruleset is loaded before HAProxy's configuration: when HAProxy's part of
    the change fails (here its candidate file cannot be written, as on a full disk),
    the change ends in ERROR and the ruleset goes back to the last accepted tree."""
    first, second = own.echo('m0'), own.echo('m1')
    lb, _, pool = datagram_lb.build_udp_lb(own.api, [first], VIP_PORT)
    own.api.create_child(lb['id'], 'listeners', 'listener', loadbalancer_id=lb['id'],
                         protocol='TCP', protocol_port=VIP_PORT)
    candidate = os.path.join(own.running.state_dir, 'amphorae', lb['id'],
                             'haproxy.cfg.new')
    os.symlink('/dev/full', candidate)
    try:
        added = own.api.create_child(lb['id'], 'pools/%s/members' % pool['id'], 'member',
                                     address=second.address, protocol_port=second.port,
                                     name='m1')
    finally:
        os.unlink(candidate)
    member = own.api.request('GET', '/pools/%s/members/%s' % (pool['id'], added['id'])
                             ).json()['member']
    assert member['provisioning_status'] == 'ERROR'
    assert set(answers(lb['vip_address'], 6)) == {'m0'}
    assert second.address + ' . %d' % second.port not in own.ruleset(lb['id'])
