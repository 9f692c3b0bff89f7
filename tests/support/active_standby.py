"""An ACTIVE_STANDBY load balancer serving HTTP through a controller in namespace mode:
the flavor that asks for the topology, the pair built behind it, and its amphorae by
role (the functional tests and bench/failover.py both drive one)."""
import json
import subprocess

VIP_PORT = 8080


def flavor(api):
    profile = api.create('flavorprofiles', 'flavorprofile', name='as-profile',
                         provider_name='amphora', flavor_data=json.dumps(
                             {'loadbalancer_topology': 'ACTIVE_STANDBY'}))
    return api.create('flavors', 'flavor', name='active-standby',
                      flavor_profile_id=profile['id'], enabled=True)


def serving_pair(api, names, members):
    """(load balancer, pool): an HTTP listener on VIP_PORT to `members`; `names`
    (tests/support/namespaces.Names) learns the pair's namespaces."""
    lb = api.new_loadbalancer(name='pair', flavor_id=flavor(api)['id'])
    listener = api.create_child(lb['id'], 'listeners', 'listener',
                                loadbalancer_id=lb['id'], protocol='HTTP',
                                protocol_port=VIP_PORT)
    pool = api.create_child(lb['id'], 'pools', 'pool', listener_id=listener['id'],
                            protocol='HTTP', lb_algorithm='ROUND_ROBIN')
    for member in members:
        api.create_child(lb['id'], 'pools/%s/members' % pool['id'], 'member',
                         address=member['address'], protocol_port=member['port'])
    names.namespaces()
    return lb, pool


def amphorae(api, lb_id):
    """{role: amphora} of the load balancer, from the amphora admin API."""
    response = api.octavia_request('GET', '/amphorae?loadbalancer_id=' + lb_id)
    assert response.status_code == 200, response.text
    return {a['role']: a for a in response.json()['amphorae']}


def holds_vip(namespace_prefix, amphora, vip):
    """Whether the amphora's namespace has the VIP (keepalived put it there)."""
    namespace = '%s-%s' % (namespace_prefix, amphora['id'][:8])
    addresses = subprocess.run(['ip', '-n', namespace, '-o', '-4', 'address', 'show'],
                               capture_output=True, text=True).stdout
    return ' %s/32 ' % vip in addresses
