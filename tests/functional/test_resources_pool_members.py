"""LBaaS::PoolMembers on the devcloud: a change of the member list (two added, one
removed) is ONE batch request (one HAProxy reload), ids of kept members do not change,
and real traffic reaches exactly the new set."""

from tests.support import amphora
from tests.support import ports
from tests.support.stacks import lb_with_http_listener
from tests.support.stacks import served_by
from tests.support.stacks import template
from tests.support.stacks import vip_url
from tests.support.stacks import web_server

SERVERS = ('a', 'b', 'c', 'd')


def members_template(devcloud, port, server_ports, chosen):
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
                     'name': 'member-%s' % name, 'tags': ['batch']} for name in chosen]}}
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
    assert probe.reload_count(lb_id) == reloads + 1     # one batch request, one reload
    assert stacks.physical_ids('batch')['members'] == physical['members']
    ids_after = stacks.output('batch', 'ids')
    assert len(ids_after) == 3
    kept = set(ids_before) & set(ids_after)
    assert len(kept) == 1 and all(ids_before[k] == ids_after[k] for k in kept)
    served = served_by(url, 12)
    assert {line.split()[1].split('/')[1] for line in served} == {'b', 'c', 'd'}
    assert set(served.values()) == {4}

    stacks.delete('batch')
    assert devcloud.openstack_json('loadbalancer', 'list') == []
