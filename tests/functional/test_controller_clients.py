"""OpenStack's own clients, unchanged, against the controller."""
import ipaddress

import openstack
import pytest
from octaviaclient.api.v2 import octavia as octavia_client

VIP_SUBNET_ID = '35dc0b41-9dc8-5abb-bb66-90b11392828c'


@pytest.fixture
def sdk(controller):
    return openstack.connect(auth_type='none', auth={'endpoint': controller.url},
                             load_balancer_endpoint_override=controller.url)


def test_openstacksdk_drives_every_object(sdk, servers, controller):
    lb_proxy = sdk.load_balancer
    member_server, = servers.start(1)
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

    lb_proxy.delete_load_balancer(lb, cascade=True)
    lb_proxy.wait_for_delete(lb, interval=0.1, wait=30)
    assert lb_proxy.find_listener(listener.id) is None


def test_octaviaclient_api_drives_the_objects_heat_uses(controller):
    import keystoneauth1.session
    from keystoneauth1 import noauth
    session = keystoneauth1.session.Session(auth=noauth.NoAuth())
    client = octavia_client.OctaviaAPI(session=session, service_type='load-balancer',
                                       endpoint=controller.url)
    lb = client.load_balancer_create(json={'loadbalancer': {
        'name': 'occ-lb', 'vip_subnet_id': VIP_SUBNET_ID}})['loadbalancer']
    assert client.find(path='/lbaas/loadbalancers', value='occ-lb',
                       attr='name')['id'] == lb['id']
    assert client.load_balancer_show(lb['id'])['name'] == 'occ-lb'
    assert lb['id'] in [x['id'] for x in client.load_balancer_list()['loadbalancers']]
    with pytest.raises(octavia_client.OctaviaClientException) as refused:
        client.pool_create(json={'pool': {'loadbalancer_id': lb['id'],
                                          'protocol': 'HTTP', 'lb_algorithm': 'BOGUS'}})
    assert refused.value.code == 400
    assert 'BOGUS' in str(refused.value)
    client.load_balancer_delete(lb['id'], cascade=True)
