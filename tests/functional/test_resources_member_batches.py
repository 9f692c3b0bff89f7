"""LBaaS::Member on the devcloud, coalesced: 12 member resources of one pool are created
with fewer member requests than members (siblings waiting for the load balancer's turn
go out in one `PUT .../members?additive_only=true`), each resource gets its own member's
id, traffic reaches all of them; a duplicate address:port in a second stack still fails
with Octavia's duplicate message (the batch would have updated the existing member) and
leaves the first stack's member alone; deletes are never batched: the second stack's
members go by one DELETE each, and the first stack's delete sends none (its load
balancer's cascade delete removes them)."""

from heat_lbaas.controller.api import access_log
from tests.support import amphora
from tests.support import ports
from tests.support.stacks import lb_with_http_listener
from tests.support.stacks import served_by
from tests.support.stacks import template
from tests.support.stacks import vip_url
from tests.support.stacks import web_server

COUNT = 12


def member_requests(devcloud, since):
    """(method, path) of the member create/delete requests logged after byte `since`."""
    found = []
    with open(devcloud.state_dir / 'logs' / 'controller.log') as log:
        log.seek(since)
        for line in log:
            if access_log.LOGGER_NAME not in line:
                continue
            parsed = access_log.parse_line(line)
            if parsed and '/members' in parsed[1] and parsed[0] in ('POST', 'PUT', 'DELETE'):
                found.append(parsed)
    return found


def log_size(devcloud):
    return (devcloud.state_dir / 'logs' / 'controller.log').stat().st_size


def members_template(devcloud, port, server_ports):
    resources = lb_with_http_listener(devcloud, port)
    resources['pool'] = {'type': 'LBaaS::Pool', 'properties': {
        'listener': {'get_resource': 'listener'}, 'protocol': 'HTTP',
        'lb_algorithm': 'ROUND_ROBIN'}}
    outputs = {'url': {'value': vip_url(port)}, 'lb_id': {'value': {'get_resource': 'lb'}},
               'pool_id': {'value': {'get_resource': 'pool'}}}
    for i, server_port in enumerate(server_ports):
        resources['server%d' % i] = web_server(server_port)
        resources['member%d' % i] = {'type': 'LBaaS::Member', 'properties': {
            'pool': {'get_resource': 'pool'},
            'address': {'get_attr': ['server%d' % i, 'address']},
            'protocol_port': {'get_attr': ['server%d' % i, 'port']},
            'name': 'member-%d' % i}}
    return template(resources, outputs)


def test_members_are_coalesced_and_duplicates_still_fail(devcloud, stacks):
    port = ports.free_port()
    server_ports = [ports.free_port() for _ in range(COUNT)]
    since = log_size(devcloud)
    stacks.create('coalesced', members_template(devcloud, port, server_ports))
    created = member_requests(devcloud, since)
    print('member requests at create:', created)
    assert len(created) < COUNT
    assert any(method == 'PUT' and 'additive_only=true' in path
               for method, path, _ in created)
    assert all(status < 300 for _, _, status in created)
    lb_id = stacks.output('coalesced', 'lb_id')
    reloads = amphora.AmphoraProbe(str(devcloud.state_dir / 'controller')).reload_count(lb_id)
    print('reloads (load balancer, listener, pool and members):', reloads)
    assert reloads < COUNT

    pool_id = stacks.output('coalesced', 'pool_id')
    listed = devcloud.load_balancer.members(pool_id)
    assert len(listed) == COUNT
    by_name = {m['name']: m for m in listed}
    physical = stacks.physical_ids('coalesced')
    for i in range(COUNT):
        assert physical['member%d' % i] == by_name['member-%d' % i]['id']
        assert by_name['member-%d' % i]['protocol_port'] == server_ports[i]
    served = served_by(stacks.output('coalesced', 'url'), COUNT * 3)
    assert len(served) == COUNT, served
    assert set(served.values()) == {3}

    # A second stack: three members, the first at an address:port the pool has already.
    duplicate = listed[0]
    resources = {}
    for i in range(3):
        resources['member%d' % i] = {'type': 'LBaaS::Member', 'properties': {
            'pool': pool_id,
            'address': duplicate['address'] if i == 0 else '127.99.0.%d' % (i + 1),
            'protocol_port': duplicate['protocol_port'] if i == 0 else 8080}}
    assert stacks.create_failing('dup', template(resources))[0] == 'CREATE_FAILED'
    assert stacks.status('dup') == 'CREATE_FAILED'
    shown = devcloud.heat.resource('dup', 'member0')
    reason = shown['resource_status_reason']
    print('duplicate:', reason)
    assert 'Another member on this pool is already using ip %s on protocol_port %s' % (
        duplicate['address'], duplicate['protocol_port']) in reason
    assert shown['physical_resource_id'] in ('', None)
    after = {m['id']: m for m in devcloud.load_balancer.members(pool_id)}
    assert after[duplicate['id']]['name'] == duplicate['name']   # not adopted
    created_in_dup = [i for i in stacks.physical_ids('dup').values() if i]
    since = log_size(devcloud)
    stacks.delete('dup')
    deleted = member_requests(devcloud, since)
    # Each of its own members deleted once, whatever was still being created when the
    # stack failed (recorded after this snapshot), and nothing of the other stack.
    deleted_ids = [path.rsplit('/', 1)[1] for method, path, _ in deleted
                   if method == 'DELETE']
    assert len(deleted_ids) == len(deleted) == len(set(deleted_ids)), deleted
    assert set(created_in_dup) <= set(deleted_ids), deleted
    assert not set(deleted_ids) & {m['id'] for m in by_name.values()}, deleted
    assert {m['id'] for m in devcloud.load_balancer.members(pool_id)} == set(
        by_name[n]['id'] for n in by_name)

    since = log_size(devcloud)
    stacks.delete('coalesced')
    deleted = member_requests(devcloud, since)
    print('member requests at delete:', deleted)
    assert deleted == []
    assert devcloud.load_balancer.load_balancers() == []
