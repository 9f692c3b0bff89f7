"""LBaaS::PoolMembers on the devcloud: a change of the member list (two added, one
removed, no drain time) is ONE additive batch request for the added ones and one DELETE
for the removed one (two HAProxy reloads), ids of kept members do not change, and real
traffic reaches exactly the new set; with a drain time, a removal is the additive batch
with the leaving member at weight 0, then its DELETE, and loses no request in flight."""
import threading
import time

import requests

from tests.support import request_load
from tests.support import amphora
from tests.support import ports
from tests.support.stacks import lb_with_http_listener
from tests.support.stacks import served_by
from tests.support.stacks import template
from tests.support.stacks import vip_url
from tests.support.stacks import web_server

SERVERS = ('a', 'b', 'c', 'd')


def members_template(devcloud, port, server_ports, chosen, drain_seconds=0):
    resources = lb_with_http_listener(devcloud, port)
    resources['pool'] = {'type': 'LBaaS::Pool', 'properties': {
        'listener': {'get_resource': 'listener'}, 'protocol': 'HTTP',
        'lb_algorithm': 'ROUND_ROBIN'}}
    for name in SERVERS:
        resources[name] = web_server(server_ports[name])
    resources['members'] = {'type': 'LBaaS::PoolMembers', 'properties': {
        'pool': {'get_resource': 'pool'},
        'members': [{'address': {'get_attr': [name, 'address']},
                     'protocol_port': {'get_attr': [name, 'port']},
                     'name': 'member-%s' % name, 'tags': ['batch']} for name in chosen],
        'drain_seconds': drain_seconds}}
    return template(resources, {
        'url': {'value': vip_url(port)},
        'lb_id': {'value': {'get_resource': 'lb'}},
        'ids': {'value': {'get_attr': ['members', 'member_ids']}},
        'count': {'value': {'get_attr': ['members', 'count']}}})


def test_pool_members_change_is_one_batch_call_and_traffic_follows(devcloud, stacks):
    port = ports.free_port()
    server_ports = {name: ports.free_port() for name in SERVERS}
    print('create: %.1f s' % stacks.create(
        'batch', members_template(devcloud, port, server_ports, ('a', 'b'))))
    url = stacks.output('batch', 'url')
    assert {line.split()[1].split('/')[1] for line in served_by(url, 8)} == {'a', 'b'}
    ids_before = stacks.output('batch', 'ids')
    assert stacks.output('batch', 'count') == 2
    probe = amphora.AmphoraProbe(str(devcloud.state_dir / 'controller'))
    lb_id = stacks.output('batch', 'lb_id')
    reloads = probe.reload_count(lb_id)
    physical = stacks.physical_ids('batch')

    stacks.update('batch', members_template(devcloud, port, server_ports, ('b', 'c', 'd')))
    # One additive batch (both added), one DELETE (the removed one): two reloads.
    assert probe.reload_count(lb_id) == reloads + 2
    assert stacks.physical_ids('batch')['members'] == physical['members']
    ids_after = stacks.output('batch', 'ids')
    assert len(ids_after) == 3
    kept = set(ids_before) & set(ids_after)
    assert len(kept) == 1 and all(ids_before[k] == ids_after[k] for k in kept)
    served = served_by(url, 12)
    assert {line.split()[1].split('/')[1] for line in served} == {'b', 'c', 'd'}
    assert set(served.values()) == {4}

    stacks.delete('batch')
    assert devcloud.load_balancer.load_balancers() == []


def drain_template(devcloud, port, server_ports, chosen, drain_seconds):
    resources = lb_with_http_listener(devcloud, port)
    resources['pool'] = {'type': 'LBaaS::Pool', 'properties': {
        'listener': {'get_resource': 'listener'}, 'protocol': 'HTTP',
        'lb_algorithm': 'ROUND_ROBIN'}}
    # With health checks, Octavia shows a member at weight 0 as DRAINING.
    resources['monitor'] = {'type': 'LBaaS::HealthMonitor', 'properties': {
        'pool': {'get_resource': 'pool'}, 'type': 'HTTP', 'delay': 1, 'timeout': 1,
        'max_retries': 1}}
    for name in ('a', 'b', 'c'):
        resources[name] = web_server(server_ports[name])
    members = {'pool': {'get_resource': 'pool'}, 'drain_seconds': drain_seconds,
               'members': [{'address': {'get_attr': [name, 'address']},
                            'protocol_port': {'get_attr': [name, 'port']}}
                           for name in chosen]}
    resources['members'] = {'type': 'LBaaS::PoolMembers', 'depends_on': 'monitor',
                            'properties': members}
    return template(resources, {
        'url': {'value': vip_url(port)},
        'lb_id': {'value': {'get_resource': 'lb'}},
        'pool_id': {'value': {'get_resource': 'pool'}},
        'c_address': {'value': {'get_attr': ['c', 'address']}}})


def test_pool_members_removal_drains_leaving_member_and_loses_no_request(devcloud, stacks):
    port = ports.free_port()
    server_ports = {name: ports.free_port() for name in 'abc'}
    drain_seconds = 4
    stacks.create('drain', drain_template(devcloud, port, server_ports, 'abc', drain_seconds))
    url = stacks.output('drain', 'url')
    pool_id = stacks.output('drain', 'pool_id')
    leaving = stacks.output('drain', 'c_address')
    members_url = '%s/v2/lbaas/pools/%s/members' % (devcloud.controller_url, pool_id)
    probe = amphora.AmphoraProbe(str(devcloud.state_dir / 'controller'))
    lb_id = stacks.output('drain', 'lb_id')
    reloads = probe.reload_count(lb_id)

    stop = threading.Event()
    seen = []   # (weight, operating_status) of the leaving member, in order; None: gone

    def observer():
        while not stop.is_set():
            try:
                listed = requests.get(members_url, timeout=30).json()['members']
            except (requests.RequestException, ValueError, KeyError):
                continue
            states = [(m['weight'], m['operating_status']) for m in listed
                      if m['address'] == leaving]
            state = states[0] if states else None
            if not seen or seen[-1] != state:
                seen.append(state)
            time.sleep(0.1)

    watcher = threading.Thread(target=observer, daemon=True)
    watcher.start()
    try:
        with request_load.RequestLoad(url) as load:
            time.sleep(2)
            stacks.update('drain', drain_template(devcloud, port, server_ports, 'ab',
                                                  drain_seconds))
            time.sleep(2)   # traffic goes on with the member gone
    finally:
        stop.set()
        watcher.join(timeout=60)

    print('leaving member:', seen, 'answered:', load.answered)
    assert load.failures == []
    assert load.answered > 10
    # The leaving member served, then took no new requests (weight 0) for the drain time,
    # then was removed: one additive batch and one DELETE for the change.
    assert (1, 'ONLINE') in seen, seen
    assert (0, 'DRAINING') in seen, seen
    assert seen[-1] is None, seen
    assert seen.index((0, 'DRAINING')) > seen.index((1, 'ONLINE'))
    assert probe.reload_count(lb_id) == reloads + 2
    assert {line.split()[1].split('/')[1] for line in served_by(url, 6)} == {'a', 'b'}
    stacks.delete('drain')
    assert devcloud.load_balancer.load_balancers() == []
