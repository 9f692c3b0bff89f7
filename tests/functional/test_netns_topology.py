"""The namespace topology (amphora/netns.py) with real namespaces, veths and a bridge:
what an amphora's namespace holds, VIPs placed apart from it, processes run inside,
and that removal, sweep and teardown leave nothing of ours and touch nothing else."""
import ipaddress
import random
import shutil
import subprocess
import time
import uuid

import pytest

from heat_lbaas.controller.amphora import netns
from tests.support import controller as controller_support
from tests.support import namespaces

pytestmark = namespaces.needs_namespaces


@pytest.fixture
def names():
    return namespaces.Names()


@pytest.fixture
def topology(names):
    state_dir = controller_support.short_state_dir()
    built = netns.NamespaceTopology(state_dir, names.cidr, names.bridge, names.prefix)
    built.check()
    yield built
    built.teardown()
    shutil.rmtree(state_dir, ignore_errors=True)
    names.namespaces()
    assert names.leftovers() == []


def inside(topology, amphora_id, *argv):
    return topology.run(amphora_id, list(argv), capture_output=True, text=True,
                        check=True).stdout


def pings(address):
    return subprocess.run(['ping', '-c', '1', '-W', '1', address],
                          capture_output=True).returncode == 0


def test_an_amphora_namespace_is_joined_to_the_bridge_with_lo_and_nonlocal_bind(
        topology, names):
    amphora = topology.create_amphora(str(uuid.uuid4()))
    assert amphora.name == '%s-%s' % (names.prefix, amphora.amphora_id[:8])
    # Only the amphora's: HAProxy runs on the host, the host's namespace needs no name.
    assert names.namespaces() == [amphora.name]
    assert ipaddress.ip_address(amphora.address) in topology.amphora_range
    assert inside(topology, amphora.amphora_id, 'cat',
                  '/proc/sys/net/ipv4/ip_nonlocal_bind').strip() == '1'
    links = inside(topology, amphora.amphora_id, 'ip', '-br', 'link')
    assert 'lo ' in links and 'UNKNOWN' in links.splitlines()[0]
    routes = inside(topology, amphora.amphora_id, 'ip', 'route')
    assert 'default via %s dev eth0' % topology.gateway in routes
    assert pings(amphora.address)
    # Created again: the same namespace, nothing doubled.
    assert topology.create_amphora(amphora.amphora_id) == amphora


def test_vips_are_placed_and_taken_apart_from_the_namespace(topology):
    first = topology.create_amphora(str(uuid.uuid4()))
    second = topology.create_amphora(str(uuid.uuid4()))
    assert first.address != second.address and first.veth != second.veth
    vip = str(topology.vip_addresses()[0])
    assert not pings(vip)
    topology.add_vip(first.amphora_id, vip)
    topology.add_vip(first.amphora_id, vip)         # idempotent
    assert topology.vips(first.amphora_id) == [vip]
    assert pings(vip)
    # The VIP moves to the other amphora (what keepalived does on a switch).
    topology.remove_vip(first.amphora_id, vip)
    topology.add_vip(second.amphora_id, vip)
    assert topology.vips(first.amphora_id) == []
    assert topology.vips(second.amphora_id) == [vip]
    assert pings(vip)
    topology.remove_amphora(second.amphora_id)
    assert not pings(vip)
    assert sorted(topology.namespaces()) == [first.amphora_id]


def test_removing_an_amphora_ends_what_runs_inside_and_leaves_no_link(topology, names):
    amphora = topology.create_amphora(str(uuid.uuid4()))
    sleeper = subprocess.Popen(topology.command(amphora.amphora_id, ['sleep', '300']))
    try:
        # Until `ip netns exec` has entered the namespace, nothing runs there.
        deadline = time.monotonic() + 10
        while topology.pids(amphora.amphora_id) != [sleeper.pid]:
            assert time.monotonic() < deadline, topology.pids(amphora.amphora_id)
            time.sleep(0.02)
        topology.remove_amphora(amphora.amphora_id)
        assert sleeper.wait(timeout=10) is not None
    finally:
        sleeper.kill()
        sleeper.wait()
    assert amphora.name not in names.namespaces()
    assert netns.veth_name(amphora.name) not in names.leftovers()
    assert topology.namespaces() == {}


def test_sweep_removes_only_the_amphorae_not_kept(topology, names):
    kept = topology.create_amphora(str(uuid.uuid4()))
    stale = topology.create_amphora(str(uuid.uuid4()))
    # A namespace of our prefix that this state directory did not record is
    # someone else's: never swept.
    foreign = names.prefix + '-foreign'
    subprocess.run(['ip', 'netns', 'add', foreign], check=True)
    try:
        assert topology.sweep(keep={kept.amphora_id}) == [stale.amphora_id]
        assert sorted(names.namespaces()) == sorted([kept.name, foreign])
        assert pings(kept.address) and not pings(stale.address)
    finally:
        subprocess.run(['ip', 'netns', 'delete', foreign], check=True)


def test_a_new_topology_over_the_same_state_directory_finds_what_was_created(
        topology):
    amphora = topology.create_amphora(str(uuid.uuid4()))
    again = netns.NamespaceTopology(topology.records_dir.rsplit('/', 1)[0],
                                    str(topology.network), topology.bridge,
                                    topology.prefix)
    # The bridge's own route is no overlap: it is ours, from the run before.
    again.check()
    assert again.namespaces() == {amphora.amphora_id: amphora}
    again.teardown()
    assert not pings(amphora.address)


def test_a_start_refuses_other_names_over_what_the_old_ones_created(topology):
    topology.setup()
    state_dir = topology.records_dir.rsplit('/', 1)[0]
    for bridge, prefix in ((topology.bridge + 'x', topology.prefix),
                           (topology.bridge, topology.prefix + 'x')):
        renamed = netns.NamespaceTopology(state_dir, str(topology.network), bridge, prefix)
        with pytest.raises(netns.TopologyError, match='heat-lbaas-amphorae stop'):
            renamed.check()


def test_a_start_refuses_a_taken_bridge_name_or_a_routed_range(topology, names):
    topology.setup()
    other_state = controller_support.short_state_dir()
    try:
        # Another state directory must not take over our bridge.
        with pytest.raises(netns.TopologyError, match='not created by this controller'):
            netns.NamespaceTopology(other_state, namespaces.free_cidr(
                random.SystemRandom()), names.bridge, 'hlbtother').check()
        # Our bridge's range is routed now: nobody else may use it.
        with pytest.raises(netns.TopologyError, match='overlaps the host route'):
            netns.NamespaceTopology(other_state, names.cidr, 'hlbtx' + names.prefix[4:],
                                    'hlbtother').check()
    finally:
        shutil.rmtree(other_state, ignore_errors=True)


@pytest.mark.parametrize('cidr', ['8.8.8.0/24', '127.1.0.0/24', '169.254.0.0/24',
                                  '198.18.0.0/29', 'fd00:1::/64', 'not-a-network'])
def test_a_public_loopback_small_or_ipv6_range_is_refused(cidr):
    with pytest.raises(netns.TopologyError):
        netns.check_cidr(cidr)
