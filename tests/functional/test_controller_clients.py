"""OpenStack's own clients, unchanged, against the controller (in this process, with
the noop amphora driver: what is checked is the API the clients see)."""
import ipaddress
import time

import openstack
import pytest
from octaviaclient.api.v2 import octavia as octavia_client

pytestmark = pytest.mark.noop_amphorae

VIP_SUBNET_ID = '35dc0b41-9dc8-5abb-bb66-90b11392828c'
# Nothing serves traffic: a member needs an address and a port, not a server.
MEMBER_SERVER = {'address': '192.0.2.10', 'port': 8080}


@pytest.fixture
def sdk(controller):
    return openstack.connect(auth_type='none', auth={'endpoint': controller.url},
                             load_balancer_endpoint_override=controller.url)


def test_openstacksdk_drives_every_object(sdk, controller):
    lb_proxy = sdk.load_balancer
    member_server = MEMBER_SERVER
    lb = lb_proxy.create_load_balancer(name='sdk-lb', vip_subnet_id=VIP_SUBNET_ID)
    lb = sdk.load_balancer.wait_for_load_balancer(lb.id, interval=0.1, wait=30)
    assert lb.provisioning_status == 'ACTIVE'
    assert ipaddress.ip_address(lb.vip_address) in ipaddress.ip_network(
        controller.vip_cidr)

    listener = lb_proxy.create_listener(loadbalancer_id=lb.id, protocol='HTTP',
                                        protocol_port=8082, name='sdk-listener')
    lb_proxy.wait_for_load_balancer(lb.id, interval=0.1, wait=30)
    pool = lb_proxy.create_pool(listener_id=listener.id, protocol='HTTP',
                                lb_algorithm='LEAST_CONNECTIONS', name='sdk-pool')
    lb_proxy.wait_for_load_balancer(lb.id, interval=0.1, wait=30)
    member = lb_proxy.create_member(pool, address=member_server['address'],
                                    protocol_port=member_server['port'], weight=3)
    lb_proxy.wait_for_load_balancer(lb.id, interval=0.1, wait=30)
    monitor = lb_proxy.create_health_monitor(pool_id=pool.id, type='TCP', delay=2,
                                             timeout=1, max_retries=2)
    lb_proxy.wait_for_load_balancer(lb.id, interval=0.1, wait=30)

    assert lb_proxy.find_load_balancer('sdk-lb').id == lb.id
    assert lb_proxy.get_listener(listener.id).default_pool_id == pool.id
    assert [m.id for m in lb_proxy.members(pool)] == [member.id]
    assert lb_proxy.get_member(member, pool).weight == 3
    assert lb_proxy.get_health_monitor(monitor.id).type == 'TCP'
    assert [p.name for p in lb_proxy.pools(loadbalancer_id=lb.id)] == ['sdk-pool']

    lb_proxy.update_member(member, pool, weight=5)
    lb_proxy.wait_for_load_balancer(lb.id, interval=0.1, wait=30)
    assert lb_proxy.get_member(member, pool).weight == 5
    lb_proxy.update_load_balancer(lb, description='updated')
    lb_proxy.wait_for_load_balancer(lb.id, interval=0.1, wait=30)
    assert lb_proxy.get_load_balancer(lb.id).description == 'updated'

    policy = lb_proxy.create_l7_policy(listener_id=listener.id, action='REDIRECT_TO_URL',
                                       redirect_url='http://example.test/')
    lb_proxy.wait_for_load_balancer(lb.id, interval=0.1, wait=30)
    rule = lb_proxy.create_l7_rule(policy, type='HOST_NAME', compare_type='EQUAL_TO',
                                   value='old.example.test')
    lb_proxy.wait_for_load_balancer(lb.id, interval=0.1, wait=30)
    # (update_l7_rule cannot send `value`: openstacksdk's own argument name clashes.)
    lb_proxy.update_l7_rule(rule, policy, compare_type='STARTS_WITH', invert=True)
    lb_proxy.wait_for_load_balancer(lb.id, interval=0.1, wait=30)
    updated = lb_proxy.get_l7_rule(rule, policy)
    assert (updated.compare_type, updated.invert) == ('STARTS_WITH', True)
    assert [p.id for p in lb_proxy.l7_policies(listener_id=listener.id)] == [policy.id]
    lb_proxy.delete_l7_rule(rule, policy)
    lb_proxy.wait_for_load_balancer(lb.id, interval=0.1, wait=30)
    assert list(lb_proxy.l7_rules(policy)) == []

    lb_proxy.delete_load_balancer(lb, cascade=True)
    lb_proxy.wait_for_delete(lb, interval=0.1, wait=30)
    assert lb_proxy.find_listener(listener.id) is None


def wait_for(client, lb_id, timeout=30):
    deadline = time.monotonic() + timeout
    while client.load_balancer_show(lb_id)['provisioning_status'] != 'ACTIVE':
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_octaviaclient_api_drives_every_object_type(controller):
    """python-octaviaclient's OctaviaAPI, as Heat's OS::Octavia::* types use it:
    create, show, list, update and delete of each of the seven object types."""
    import keystoneauth1.session
    from keystoneauth1 import noauth
    session = keystoneauth1.session.Session(auth=noauth.NoAuth())
    client = octavia_client.OctaviaAPI(session=session, service_type='load-balancer',
                                       endpoint=controller.url)
    member_server = MEMBER_SERVER
    lb = client.load_balancer_create(json={'loadbalancer': {
        'name': 'occ-lb', 'vip_subnet_id': VIP_SUBNET_ID}})['loadbalancer']
    wait_for(client, lb['id'])
    assert client.find(path='/lbaas/loadbalancers', value='occ-lb',
                       attr='name')['id'] == lb['id']
    listener = client.listener_create(json={'listener': {
        'loadbalancer_id': lb['id'], 'protocol': 'HTTP', 'protocol_port': 8083,
        'name': 'occ-listener'}})['listener']
    wait_for(client, lb['id'])
    pool = client.pool_create(json={'pool': {
        'listener_id': listener['id'], 'protocol': 'HTTP',
        'lb_algorithm': 'ROUND_ROBIN', 'name': 'occ-pool'}})['pool']
    wait_for(client, lb['id'])
    member = client.member_create(pool['id'], json={'member': {
        'address': member_server['address'],
        'protocol_port': member_server['port']}})['member']
    wait_for(client, lb['id'])
    monitor = client.health_monitor_create(json={'healthmonitor': {
        'pool_id': pool['id'], 'type': 'HTTP', 'delay': 3, 'timeout': 2,
        'max_retries': 2}})['healthmonitor']
    wait_for(client, lb['id'])
    policy = client.l7policy_create(json={'l7policy': {
        'listener_id': listener['id'], 'action': 'REJECT'}})['l7policy']
    wait_for(client, lb['id'])
    rule = client.l7rule_create(policy['id'], json={'rule': {
        'type': 'PATH', 'compare_type': 'STARTS_WITH', 'value': '/admin'}})['rule']
    wait_for(client, lb['id'])

    shows = [
        (client.listener_show(listener['id']), client.listener_list(), 'listeners'),
        (client.pool_show(pool['id']), client.pool_list(), 'pools'),
        (client.member_show(pool['id'], member['id']),
         client.member_list(pool['id']), 'members'),
        (client.health_monitor_show(monitor['id']), client.health_monitor_list(),
         'healthmonitors'),
        (client.l7policy_show(policy['id']), client.l7policy_list(), 'l7policies'),
        (client.l7rule_show(rule['id'], policy['id']),
         client.l7rule_list(policy['id']), 'rules'),
    ]
    for shown, listed, collection in shows:
        assert shown['provisioning_status'] == 'ACTIVE'
        assert shown['id'] in [item['id'] for item in listed[collection]]

    updates = [
        (lambda: client.listener_set(listener['id'], json={
            'listener': {'connection_limit': 50}}),
         lambda: client.listener_show(listener['id'])['connection_limit'], 50),
        (lambda: client.pool_set(pool['id'], json={'pool': {'description': 'd'}}),
         lambda: client.pool_show(pool['id'])['description'], 'd'),
        (lambda: client.member_set(pool['id'], member['id'], json={
            'member': {'weight': 7}}),
         lambda: client.member_show(pool['id'], member['id'])['weight'], 7),
        (lambda: client.health_monitor_set(monitor['id'], json={
            'healthmonitor': {'delay': 4}}),
         lambda: client.health_monitor_show(monitor['id'])['delay'], 4),
        (lambda: client.l7policy_set(policy['id'], json={'l7policy': {'name': 'p'}}),
         lambda: client.l7policy_show(policy['id'])['name'], 'p'),
        (lambda: client.l7rule_set(rule['id'], policy['id'], json={
            'rule': {'value': '/private'}}),
         lambda: client.l7rule_show(rule['id'], policy['id'])['value'], '/private'),
        (lambda: client.load_balancer_set(lb['id'], json={
            'loadbalancer': {'description': 'x'}}),
         lambda: client.load_balancer_show(lb['id'])['description'], 'x'),
    ]
    for change, read, expected in updates:
        change()
        wait_for(client, lb['id'])
        assert read() == expected

    with pytest.raises(octavia_client.OctaviaClientException) as refused:
        client.pool_create(json={'pool': {'loadbalancer_id': lb['id'],
                                          'protocol': 'HTTP', 'lb_algorithm': 'BOGUS'}})
    assert refused.value.code == 400
    assert 'BOGUS' in str(refused.value)

    client.l7rule_delete(rule['id'], policy['id'])
    wait_for(client, lb['id'])
    client.l7policy_delete(policy['id'])
    wait_for(client, lb['id'])
    client.health_monitor_delete(monitor['id'])
    wait_for(client, lb['id'])
    client.member_delete(pool['id'], member['id'])
    wait_for(client, lb['id'])
    client.pool_delete(pool['id'])
    wait_for(client, lb['id'])
    client.listener_delete(listener['id'])
    wait_for(client, lb['id'])
    client.load_balancer_delete(lb['id'])
    deadline = time.monotonic() + 30
    while lb['id'] in [x['id'] for x in client.load_balancer_list()['loadbalancers']]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
