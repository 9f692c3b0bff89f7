"""The nftables ruleset of UDP listeners (pure rendering): which members are in a
listener's rotation, how each algorithm chooses, and what is dropped. That nft takes
the text is checked against the kernel in
tests/functional/test_accepted_means_deployable.py and test_udp_dataplane.py."""
import uuid

import pytest

from heat_lbaas.controller.amphora import nft_render
from heat_lbaas.controller.db import tree as tree_module

LB, LISTENER, POOL = (str(uuid.UUID(int=n)) for n in (1, 2, 3))
VIP = '198.18.7.5'


def member(n, address='198.18.7.1', port=None, weight=1, **fields):
    return dict({'id': str(uuid.UUID(int=100 + n)), 'pool_id': POOL, 'address': address,
                 'protocol_port': port or 5000 + n, 'weight': weight,
                 'admin_state_up': True, 'provisioning_status': 'ACTIVE',
                 'created_at': '2026-11-30T00:00:%02d' % n, 'backup': False,
                 'monitor_address': None, 'monitor_port': None,
                 'operating_status': 'NO_MONITOR'}, **fields)


def tree(members, algorithm='ROUND_ROBIN', persistence=None, allowed_cidrs=None,
         listener_up=True, pool_up=True, protocol='UDP'):
    return tree_module.LoadBalancerTree(
        loadbalancer={'id': LB, 'vip_address': VIP, 'admin_state_up': True,
                      'provisioning_status': 'ACTIVE'},
        listeners=[{'id': LISTENER, 'protocol': protocol, 'protocol_port': 53,
                    'default_pool_id': POOL, 'admin_state_up': listener_up,
                    'allowed_cidrs': allowed_cidrs, 'connection_limit': -1,
                    'provisioning_status': 'ACTIVE'}],
        pools=[{'id': POOL, 'protocol': protocol, 'lb_algorithm': algorithm,
                'session_persistence': persistence, 'admin_state_up': pool_up,
                'provisioning_status': 'ACTIVE'}],
        members=members, healthmonitors=[])


def prerouting(text):
    return [line.strip() for line in text.splitlines()
            if line.strip().startswith('ip daddr')]


def test_round_robin_over_the_members_in_rotation_repeated_by_weight():
    members = [member(1, weight=4), member(2, weight=2), member(3, weight=0),
               member(4, admin_state_up=False), member(5, provisioning_status='PENDING_DELETE'),
               member(6, weight=6)]
    rules = prerouting(nft_render.render(tree(members)))
    assert rules == [
        'ip daddr 198.18.7.5 udp dport 53 counter dnat ip addr . port to numgen inc mod 6 '
        'map { 0 : 198.18.7.1 . 5001, 1 : 198.18.7.1 . 5001, 2 : 198.18.7.1 . 5002, '
        '3 : 198.18.7.1 . 5006, 4 : 198.18.7.1 . 5006, 5 : 198.18.7.1 . 5006 } '
        'comment "listener %s"' % LISTENER]
    # A member the checks took out leaves the map.
    rules = prerouting(nft_render.render(tree(members), {members[0]['id']}))
    assert 'numgen inc mod 4 map { 0 : 198.18.7.1 . 5002, 1 : 198.18.7.1 . 5006,' in \
        rules[0]


def test_no_member_in_rotation_drops_the_datagrams():
    members = [member(1)]
    for text in (nft_render.render(tree(members), {members[0]['id']}),
                 nft_render.render(tree([])),
                 nft_render.render(tree(members, pool_up=False))):
        assert prerouting(text) == ['ip daddr 198.18.7.5 udp dport 53 counter drop '
                                    'comment "listener %s"' % LISTENER]


@pytest.mark.parametrize('algorithm,persistence,expression', [
    ('SOURCE_IP', None, 'jhash ip saddr mod 2 seed 0'),
    ('SOURCE_IP_PORT', None, 'jhash ip saddr . udp sport mod 2 seed 0'),
    # SOURCE_IP persistence wins over the algorithm, at its granularity.
    ('ROUND_ROBIN', {'type': 'SOURCE_IP', 'persistence_timeout': 60,
                     'persistence_granularity': '255.255.255.0'},
     'jhash ip saddr & 255.255.255.0 mod 2 seed 0'),
    ('SOURCE_IP_PORT', {'type': 'SOURCE_IP', 'persistence_granularity':
                        '255.255.255.255'}, 'jhash ip saddr mod 2 seed 0'),
    # The API takes an IPv6 netmask too: its leading bits count.
    ('SOURCE_IP', {'type': 'SOURCE_IP', 'persistence_granularity': 'ffff:ff00::'},
     'jhash ip saddr & 255.255.255.0 mod 2 seed 0'),
])
def test_source_hashing(algorithm, persistence, expression):
    rules = prerouting(nft_render.render(tree([member(1), member(2)], algorithm,
                                              persistence)))
    assert ('to %s map {' % expression) in rules[0]


def test_least_connections_has_no_nftables_counterpart():
    with pytest.raises(nft_render.Unrenderable):
        nft_render.render(tree([member(1)], 'LEAST_CONNECTIONS'))


def test_allowed_cidrs_drop_everyone_else_first():
    rules = prerouting(nft_render.render(tree(
        [member(1)], allowed_cidrs=['192.0.2.7/24', '10.0.0.0/8', '2001:db8::/32'])))
    assert rules[0] == ('ip daddr 198.18.7.5 udp dport 53 ip saddr != { 10.0.0.0/8, '
                        '192.0.2.0/24 } counter drop comment "listener %s"' % LISTENER)
    assert 'dnat' in rules[1]


def test_the_table_is_replaced_whole_and_masquerades_what_it_dnats():
    text = nft_render.render(tree([member(1)]))
    assert text.splitlines()[1:4] == ['add table ip heat_lbaas', 'delete table ip heat_lbaas',
                                      'table ip heat_lbaas {']
    assert 'ct status dnat counter masquerade' in text
    # A disabled listener keeps the table (empty), no listener at all removes it.
    assert prerouting(nft_render.render(tree([member(1)], listener_up=False))) == []
    assert nft_render.render(tree([member(1)], protocol='TCP')) is None
    assert nft_render.removal() == 'add table ip heat_lbaas\ndelete table ip heat_lbaas\n'


def test_a_member_of_another_ip_version_than_the_vip_is_never_in_rotation():
    text = nft_render.render(tree([member(1, address='2001:db8::1')]))
    assert 'dnat ip' not in text and 'counter drop' in text


@pytest.mark.parametrize('bad', [{'protocol_port': True}, {'protocol_port': 70000},
                                 {'address': '1.2.3.4 }'}])
def test_values_that_are_not_what_the_api_normalises_are_refused(bad):
    with pytest.raises(ValueError):
        nft_render.render(tree([member(1, **bad)]))
