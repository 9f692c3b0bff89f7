"""A controller with amphora_network = namespace: each amphora a network namespace of
its own behind a bridge with the VIP inside it, where its HAProxy (running on the
host) binds its listeners; members on the host's loopback reached from the host, real
HTTP from the host to the VIP, reloads that fail no request. Whatever the controller
created is gone after a delete, after `heat-lbaas-amphorae stop`, and after a restart
that follows a SIGKILL."""
import http.client
import ipaddress
import os
import signal
import subprocess
import sys
import time

import pytest
import requests

from heat_lbaas.controller.db import store as store_module
from heat_lbaas.controller.db import tree as tree_module
from tests.support import amphora
from tests.support import controller as controller_support
from tests.support import http_lb
from tests.support import namespace_controller
from tests.support import namespaces
from tests.support import octavia_api
from tests.support import processes
from tests.support import request_load
from tests.support import web_servers

pytestmark = namespaces.needs_namespaces
# Every amphora has its own namespace, so any port of its VIP is free.
VIP_PORT = 8080


class NamespaceController(namespace_controller.NamespaceController):
    """A controller of the test's own in namespace mode, with its web servers."""

    def __init__(self):
        super().__init__()
        self.servers = web_servers.WebServers(os.path.join(self.directory, 'web'))
        self.probe = None

    def __enter__(self):
        super().__enter__()
        self.probe = amphora.AmphoraProbe(self.running.state_dir)
        return self

    def stop_members(self):
        self.servers.stop_all()

    def serving_lb(self, members, **options):
        lb, _, pool, url = http_lb.build_http_lb(self.api, members, port=VIP_PORT,
                                                 name='netns', **options)
        self.names.namespaces()     # remembered, for the leftovers check
        return lb, pool, url


@pytest.fixture
def own():
    with NamespaceController() as controller:
        yield controller


def answering(url, members, tries=12):
    """The members (address:port) that answered `tries` requests to url."""
    bodies = http_lb.served_by(url, tries)
    return {http_lb.identity(m) for m in members
            if any(http_lb.identity(m) in body for body in bodies)}


def serves(url):
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False


def serves_from(name, master, vip):
    """The master runs on the host and listens on the VIP inside namespace `name`."""
    return (namespaces.in_host_namespace(master)
            and '%s:%d' % (vip, VIP_PORT) in namespaces.listening(name))


def member_statuses(api, pool):
    return sorted(m['operating_status'] for m in http_lb.members_of(api, pool['id']))


def test_haproxy_in_its_namespace_serves_members_on_the_host(own):
    members = own.servers.start(2)
    lb, pool, url = own.serving_lb(members)
    vip = ipaddress.ip_address(lb['vip_address'])
    network = ipaddress.ip_network(own.names.cidr)
    # From the lower half of the private range, not the gateway (its first address).
    assert vip in network and vip != next(network.hosts())
    assert vip < network.network_address + network.num_addresses // 2

    name = own.namespace_of(lb['id'])
    assert name in own.names.namespaces()
    master = own.probe.master_pid(lb['id'])
    assert serves_from(name, master, vip)
    # Its listener is in the amphora's namespace only, not on the host.
    assert '%s:%d' % (vip, VIP_PORT) not in namespaces.listening(None)
    # The members listen on the host's loopback only; HAProxy reaches them from the
    # host, health checks included.
    assert answering(url, members) == {http_lb.identity(m) for m in members}
    http_lb.wait_for(lambda: member_statuses(own.api, pool) == ['ONLINE', 'ONLINE'],
                     15, 'members not ONLINE: %s' % member_statuses(own.api, pool))
    own.servers.stop(members[1]['server_id'])
    http_lb.wait_for(lambda: member_statuses(own.api, pool) == ['ERROR', 'ONLINE'],
                     15, 'stopped member not ERROR: %s' % member_statuses(own.api, pool))
    assert answering(url, members) == {http_lb.identity(members[0])}

    # Statistics come from the stats socket of the HAProxy inside the namespace.
    stats = own.api.request('GET', '/loadbalancers/%s/stats' % lb['id']).json()['stats']
    assert stats['request_errors'] == 0 and stats['bytes_in'] > 0
    assert stats['total_connections'] >= 24


def test_ping_monitor_pings_from_the_host(own):
    member, = own.servers.start(1)
    lb, pool, url = own.serving_lb([member], health_monitor=False)
    own.api.create_child(lb['id'], 'healthmonitors', 'healthmonitor',
                         pool_id=pool['id'], type='PING', delay=1, timeout=1,
                         max_retries=1, max_retries_down=1)
    # A second member on an address nothing answers: its pings fail.
    own.api.create_child(lb['id'], 'pools/%s/members' % pool['id'], 'member',
                         address='192.0.2.254', protocol_port=80)
    http_lb.wait_for(lambda: member_statuses(own.api, pool) == ['ERROR', 'ONLINE'],
                     20, 'PING statuses: %s' % member_statuses(own.api, pool))
    assert answering(url, [member]) == {http_lb.identity(member)}


def test_deleting_the_load_balancer_removes_its_namespace_and_veth(own):
    member, = own.servers.start(1)
    lb, _, url = own.serving_lb([member], health_monitor=False)
    name = own.namespace_of(lb['id'])
    master = own.probe.master_pid(lb['id'])
    own.api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
    own.api.wait_gone(lb['id'])
    assert name not in own.names.namespaces()
    links = os.listdir('/sys/class/net')
    assert namespaces.netns.veth_name(name) not in links
    assert own.names.bridge in links        # the bridge stays for the next one
    assert not processes.alive(master)
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=2)


def test_a_killed_master_is_replaced_in_the_same_namespace(own):
    members = own.servers.start(2)
    lb, _, url = own.serving_lb(members, health_monitor=False)
    name = own.namespace_of(lb['id'])
    master = own.probe.master_pid(lb['id'])
    os.kill(master, signal.SIGKILL)
    killed = time.monotonic()
    # Its workers may go on serving for a moment, and the kill itself lands a moment
    # after kill() returns: serving is no sign of the replacement yet.
    http_lb.wait_for(lambda: own.probe.master_pid(lb['id']) not in (None, master), 30,
                     'the killed master was not replaced')
    http_lb.wait_for(lambda: serves(url), 30, 'not serving after kill -9')
    print('replaced and serving %.2f s after kill -9 of the master'
          % (time.monotonic() - killed))
    own.api.wait_active(lb['id'])
    assert serves_from(name, own.probe.master_pid(lb['id']), lb['vip_address'])
    http_lb.wait_for(lambda: answering(url, members) == {
        http_lb.identity(m) for m in members}, 15, 'not serving after failover')


@pytest.mark.parametrize('removed_amphora', ['running', 'killed'])
def test_a_restart_after_sigkill_adopts_live_amphorae_and_sweeps_removed_ones(
        own, removed_amphora):
    members = own.servers.start(2)
    kept, _, kept_url = own.serving_lb(members, health_monitor=False)
    removed, _, _ = own.serving_lb(members[:1], health_monitor=False)
    kept_master = own.probe.master_pid(kept['id'])
    removed_master = own.probe.master_pid(removed['id'])
    removed_namespace = own.namespace_of(removed['id'])

    own.running.kill()
    if removed_amphora == 'killed':
        # Its HAProxy died too: only the namespace (with the VIP) is left of it.
        os.kill(removed_master, signal.SIGKILL)
    # What a deletion that committed as the controller died leaves: the rows are
    # gone, its amphora and namespace are not.
    store = store_module.Store(os.path.join(own.running.state_dir, 'controller.sqlite'))
    tree = tree_module.load_tree(store, removed['id'])
    with store.transaction():
        for object_type, row in tree.objects():
            store.delete(object_type, row['id'])
    assert removed_namespace in own.names.namespaces()

    own.running.start()
    assert removed_namespace not in own.names.namespaces()
    assert namespaces.netns.veth_name(removed_namespace) not in os.listdir(
        '/sys/class/net')
    assert not processes.alive(removed_master)
    # The live one was adopted: same master, same namespace, still serving.
    assert own.probe.master_pid(kept['id']) == kept_master
    assert serves_from(own.namespace_of(kept['id']), kept_master, kept['vip_address'])
    assert answering(kept_url, members) == {http_lb.identity(m) for m in members}


def test_amphorae_stop_removes_everything_and_a_start_builds_it_again(own):
    member, = own.servers.start(1)
    lb, _, url = own.serving_lb([member], health_monitor=False)
    own.running.stop()
    assert own.names.leftovers() == []
    own.running.start()
    # Started again from its last accepted configuration, in a new namespace.
    assert own.namespace_of(lb['id']) in own.names.namespaces()
    assert answering(url, [member]) == {http_lb.identity(member)}


def test_a_start_refuses_a_public_or_routed_range(own, tmp_path):
    # The fixture's controller holds its range: a route of the host now.
    for cidr, reason in ((own.names.cidr, 'overlaps the host route'),
                         ('8.8.8.0/24', 'not a private or reserved range')):
        names = namespaces.Names()
        names.cidr = cidr
        refused = controller_support.RunningController(
            str(tmp_path / names.prefix), namespaces=names)
        result = subprocess.run(
            [sys.executable, '-m', 'heat_lbaas.controller.service',
             '--config-file', refused.config_path],
            capture_output=True, text=True, timeout=60)
        assert result.returncode == 1
        assert 'refusing to start' in result.stderr and reason in result.stderr
        assert names.leftovers() == []


def test_vips_come_from_the_lower_half_never_the_gateway_or_an_amphora_address(own):
    network = ipaddress.ip_network(own.names.cidr)
    gateway = network.network_address + 1
    amphora_address = network.network_address + network.num_addresses // 2 + 1
    asked = network.network_address + 77

    def create(address):
        return own.api.request('POST', '/loadbalancers', {'loadbalancer': {
            'vip_subnet_id': octavia_api.VIP_SUBNET_ID, 'vip_address': str(address)}})

    for taken in (gateway, amphora_address, network.network_address):
        response = create(taken)
        assert response.status_code == 409, response.text
        assert response.json()['faultstring'].startswith(
            'IP address %s already allocated in subnet' % taken)
    assert create('198.51.100.7').status_code == 400
    response = create(asked)
    assert response.status_code == 201, response.text
    lb = response.json()['loadbalancer']
    assert lb['vip_address'] == str(asked)
    own.api.wait_active(lb['id'])
    # A second one at the same address is refused as Neutron refuses it.
    assert create(asked).status_code == 409
    own.api.request('DELETE', '/loadbalancers/%s' % lb['id'])
    own.api.wait_gone(lb['id'])


def test_a_connection_the_old_worker_holds_at_a_reload_is_answered(own):
    """A client connection accepted before a reload stays with the old worker, which
    answers its next request (option idle-close-on-response) through a new member
    connection, opened in the host's namespace like the new worker's. This is the
    1-2 in 1,200 requests answered 503 under a request loop over reloads, made
    deterministic: the held connection has no member connection the old worker
    could reuse, so every attempt needs a new one."""
    members = own.servers.start(2)
    lb, pool, _ = own.serving_lb(members, health_monitor=False)
    held = http.client.HTTPConnection(lb['vip_address'], VIP_PORT, timeout=10)
    try:
        held.connect()
        reloads = own.probe.reload_count(lb['id'])
        member_id = http_lb.members_of(own.api, pool['id'])[0]['id']
        own.api.update_child(lb['id'], '/pools/%s/members/%s' % (pool['id'], member_id),
                             'member', weight=5)
        assert own.probe.reload_count(lb['id']) == reloads + 1
        held.request('GET', '/')
        answer = held.getresponse()
        body = answer.read()
    finally:
        held.close()
    assert answer.status == 200, (answer.status, body[:200])


def test_twenty_member_changes_under_load_fail_no_request(own):
    """Twenty reloads under quick and slow keep-alive clients: old workers finish what
    they hold, and answer the next request of a connection they kept, from the host."""
    members = own.servers.start(4)
    lb, pool, url = own.serving_lb(members[:2], health_monitor=False)
    reloads = own.probe.reload_count(lb['id'])
    member_path = '/pools/%s/members' % pool['id']
    with request_load.RequestLoad(url, paths=('', '', '?sleep=0.3', '?sleep=0.3'),
                                  timeout=10) as load:
        for _ in range(4):
            added = [own.api.create_child(lb['id'], member_path[1:], 'member',
                                          address=member['address'],
                                          protocol_port=member['port'])
                     for member in members[2:]]
            own.api.update_child(lb['id'], '%s/%s' % (member_path, added[0]['id']),
                                 'member', weight=5)
            for member in added:
                response = own.api.request('DELETE', '%s/%s' % (member_path, member['id']))
                assert response.status_code == 204, response.text
                own.api.wait_active(lb['id'])
        answered = load.answered
    done = own.probe.reload_count(lb['id']) - reloads
    print('\nnamespace mode, %d reloads under load: %d requests answered, %d failed'
          % (done, answered, len(load.failures)))
    assert done == 20
    assert load.failures == [], load.failures[:5]
    assert answered > 40
