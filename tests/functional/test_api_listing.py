"""List queries as openstacksdk and python-octaviaclient send them: filters, tag
filters, `fields`, sorting and `limit`/`marker` pagination with Octavia's links.

API behaviour only: run against the in-process controller with the noop amphora
driver."""
import urllib.parse

import openstack
import pytest

from tests.support import octavia_api

pytestmark = pytest.mark.noop_amphorae

VIP_SUBNET_ID = '35dc0b41-9dc8-5abb-bb66-90b11392828c'
# name -> tags, created in this order, so creation order and name order differ.
LOAD_BALANCERS = [('lb-c', ['blue', 'big']), ('lb-a', ['red', 'big']),
                  ('lb-e', ['blue']), ('lb-b', ['red']), ('lb-d', [])]


@pytest.fixture(scope='module')
def lbs(controller):
    api = octavia_api.OctaviaApi(controller.url)
    # Each its own VIP address (the noop network driver would give all the same).
    created = [api.create('loadbalancers', 'loadbalancer', name=name, tags=tags,
                          vip_subnet_id=VIP_SUBNET_ID,
                          vip_address='198.51.100.%d' % (10 + index))
               for index, (name, tags) in enumerate(LOAD_BALANCERS)]
    for lb in created:
        api.wait_active(lb['id'])
    yield {lb['name']: lb for lb in created}
    for lb in created:
        api.request('DELETE', '/loadbalancers/' + lb['id'])
    for lb in created:
        api.wait_gone(lb['id'])


def names(api, query):
    response = api.request('GET', '/loadbalancers?' + query)
    assert response.status_code == 200, response.text
    return [lb['name'] for lb in response.json()['loadbalancers']]


def fault(api, query):
    response = api.request('GET', '/loadbalancers?' + query)
    assert response.status_code == 400, response.text
    return response.json()['faultstring']


def test_filters_on_fields(api, lbs):
    assert names(api, 'name=lb-b') == ['lb-b']
    assert names(api, 'name=lb-b&name=lb-d') == ['lb-b', 'lb-d']
    assert names(api, 'vip_address=' + lbs['lb-e']['vip_address']) == ['lb-e']
    assert names(api, 'admin_state_up=true&provisioning_status=ACTIVE') == [
        name for name, _ in LOAD_BALANCERS]
    assert names(api, 'admin_state_up=False') == []
    assert names(api, 'project_id=nobody') == []
    assert fault(api, 'colour=red') == (
        'One or more arguments are either duplicate or invalid')


def test_filters_on_tags(api, lbs):
    assert names(api, 'tags=red,big') == ['lb-a']
    assert names(api, 'tags=red&tags=big') == ['lb-a']
    assert names(api, 'tags-any=red,big') == ['lb-c', 'lb-a', 'lb-b']
    assert names(api, 'not-tags=blue,big') == ['lb-a', 'lb-e', 'lb-b', 'lb-d']
    assert names(api, 'not-tags-any=red,big') == ['lb-e', 'lb-d']
    assert names(api, 'tags-any=blue&not-tags=big') == ['lb-e']


def test_fields_selects_keys_in_lists_and_shows(api, lbs):
    response = api.request('GET', '/loadbalancers?name=lb-a&fields=id&fields=name')
    assert response.json() == {'loadbalancers': [
        {'id': lbs['lb-a']['id'], 'name': 'lb-a'}], 'loadbalancers_links': []}
    response = api.request('GET', '/loadbalancers?name=lb-a&fields=name,tags')
    assert response.json()['loadbalancers'] == [{'name': 'lb-a',
                                                 'tags': ['red', 'big']}]
    response = api.request('GET', '/loadbalancers/%s?fields=vip_address'
                           % lbs['lb-a']['id'])
    assert response.json() == {'loadbalancer': {
        'vip_address': lbs['lb-a']['vip_address']}}


def test_sorting(api, lbs):
    by_name = sorted(name for name, _ in LOAD_BALANCERS)
    created = [name for name, _ in LOAD_BALANCERS]
    assert names(api, '') == created          # Octavia's default: created_at, id
    assert names(api, 'sort=name:desc,created_at') == by_name[::-1]
    assert names(api, 'sort=name') == by_name
    assert names(api, 'sort_key=name&sort_dir=desc') == by_name[::-1]
    assert names(api, 'sort_key=provisioning_status,name&sort_dir=asc,desc') == (
        by_name[::-1])
    # `sort` wins over sort_key, as in Octavia.
    assert names(api, 'sort=name:asc&sort_key=name&sort_dir=desc') == by_name
    assert fault(api, 'sort=bogus') == "Supplied sort key 'bogus' is not valid."
    assert fault(api, 'sort=name:sideways') == (
        "Supplied sort direction 'sideways' is not valid.")


def _follow(api, href):
    url = urllib.parse.urlsplit(href)
    assert url.path.endswith('/v2/lbaas/loadbalancers'), href
    response = api.request('GET', '/loadbalancers?' + url.query)
    assert response.status_code == 200, response.text
    return response.json()


def _links(body):
    return {link['rel']: link['href'] for link in body['loadbalancers_links']}


def test_limit_and_marker_pages_with_links(api, lbs):
    first = api.request('GET', '/loadbalancers?limit=2&sort=name').json()
    assert [lb['name'] for lb in first['loadbalancers']] == ['lb-a', 'lb-b']
    links = _links(first)
    assert set(links) == {'next'}
    assert 'limit=2' in links['next'] and 'sort=name' in links['next']
    assert 'marker=%s' % lbs['lb-b']['id'] in links['next']

    second = _follow(api, links['next'])
    assert [lb['name'] for lb in second['loadbalancers']] == ['lb-c', 'lb-d']
    assert set(_links(second)) == {'previous', 'next'}
    assert 'page_reverse=True' in _links(second)['previous']

    third = _follow(api, _links(second)['next'])
    assert [lb['name'] for lb in third['loadbalancers']] == ['lb-e']
    assert set(_links(third)) == {'previous'}      # not a full page: the last one

    back = _follow(api, _links(third)['previous'])
    assert [lb['name'] for lb in back['loadbalancers']] == ['lb-c', 'lb-d']


def test_pagination_faults_and_unlimited_pages(api, lbs):
    assert fault(api, 'marker=nonexistent') == (
        "Supplied pagination marker 'nonexistent' is not valid.")
    assert fault(api, 'limit=many') == "Supplied pagination limit 'many' is not valid."
    # A limit below 1 means no limit, as in Octavia.
    assert len(names(api, 'limit=0')) == len(LOAD_BALANCERS)
    assert len(names(api, 'limit=-1')) == len(LOAD_BALANCERS)


def test_openstacksdk_pages_through_everything(controller, lbs):
    sdk = openstack.connect(auth_type='none', auth={'endpoint': controller.url},
                            load_balancer_endpoint_override=controller.url)
    # Pages of 2 (the sdk follows the next links), in Octavia's default order.
    listed = list(sdk.load_balancer.load_balancers(limit=2))
    assert [lb.name for lb in listed] == [name for name, _ in LOAD_BALANCERS]
    # The sdk keeps its filters across pages (Octavia's links do not carry them).
    big = list(sdk.load_balancer.load_balancers(limit=1, tags=['big']))
    assert [lb.name for lb in big] == ['lb-c', 'lb-a']
    assert [lb.name for lb in sdk.load_balancer.load_balancers(
        limit=3, provisioning_status='ACTIVE')] == [name for name, _ in LOAD_BALANCERS]
