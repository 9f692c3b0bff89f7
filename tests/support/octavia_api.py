"""A thin client of the Octavia v2 API over plain HTTP, for tests that check the wire
format itself (status codes, bodies); tests of client compatibility use openstacksdk."""
import time

import requests

# The controller's VIP subnet (its default, which tests.support.controller keeps).
VIP_SUBNET_ID = '35dc0b41-9dc8-5abb-bb66-90b11392828c'


class OctaviaApi:
    def __init__(self, url):
        self.base = url + '/v2/lbaas'
        # Octavia's amphora API lives beside /v2/lbaas.
        self.octavia_base = url + '/v2/octavia'
        self.http = requests.Session()

    def request(self, method, path, body=None):
        return self.http.request(method, self.base + path, json=body, timeout=30)

    def octavia_request(self, method, path, body=None):
        return self.http.request(method, self.octavia_base + path, json=body,
                                 timeout=30)

    def create(self, collection, key, **fields):
        response = self.request('POST', '/' + collection, {key: fields})
        assert response.status_code == 201, response.text
        return response.json()[key]

    def create_child(self, lb_id, collection, key, **fields):
        """Create a child object and wait until the load balancer is ACTIVE again."""
        created = self.create(collection, key, **fields)
        self.wait_active(lb_id)
        return created

    def update_child(self, lb_id, path, key, **fields):
        response = self.request('PUT', path, {key: fields})
        assert response.status_code == 200, response.text
        self.wait_active(lb_id)
        return response.json()[key]

    def new_loadbalancer(self, **fields):
        fields.setdefault('vip_subnet_id', VIP_SUBNET_ID)
        lb = self.create('loadbalancers', 'loadbalancer', **fields)
        self.wait_active(lb['id'])
        return lb

    def delete_loadbalancer(self, lb_id):
        response = self.request('DELETE', '/loadbalancers/%s?cascade=true' % lb_id)
        assert response.status_code == 204, response.text
        self.wait_gone(lb_id)

    def loadbalancer(self, lb_id):
        return self.request('GET', '/loadbalancers/' + lb_id).json()['loadbalancer']

    def listener(self, listener_id):
        return self.request('GET', '/listeners/' + listener_id).json()['listener']

    def wait_active(self, lb_id, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.loadbalancer(lb_id)['provisioning_status']
            if status == 'ACTIVE':
                return
            assert status.startswith('PENDING_'), 'load balancer went %s' % status
            time.sleep(0.02)
        raise AssertionError('load balancer %s not ACTIVE after %ss' % (lb_id, timeout))

    def wait_gone(self, lb_id, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.request('GET', '/loadbalancers/' + lb_id).status_code == 404:
                return
            time.sleep(0.02)
        raise AssertionError('load balancer %s still there after %ss' % (lb_id, timeout))

    def _get(self, path, key):
        return self.request('GET', path).json()[key]

    def tree_objects(self, lb_id):
        """(collection, body) of the load balancer and of every object under it."""
        lb = self.loadbalancer(lb_id)
        found = [('loadbalancers', lb)]
        for listener_ref in lb['listeners']:
            listener = self.listener(listener_ref['id'])
            found.append(('listeners', listener))
            for policy_ref in listener['l7policies']:
                path = '/l7policies/' + policy_ref['id']
                found.append(('l7policies', self._get(path, 'l7policy')))
                found += [('rules', rule) for rule in self._get(path + '/rules', 'rules')]
        for pool_ref in lb['pools']:
            path = '/pools/' + pool_ref['id']
            pool = self._get(path, 'pool')
            found.append(('pools', pool))
            found += [('members', m) for m in self._get(path + '/members', 'members')]
            if pool.get('healthmonitor_id'):
                found.append(('healthmonitors', self._get(
                    '/healthmonitors/' + pool['healthmonitor_id'], 'healthmonitor')))
        return found

    def pending_objects(self, lb_id=None):
        """(collection, id, status) of every object in PENDING_*, of the load balancer
        `lb_id` or of all of them."""
        lb_ids = [lb_id] if lb_id else [
            lb['id'] for lb in self._get('/loadbalancers', 'loadbalancers')]
        return [(collection, body['id'], body['provisioning_status'])
                for one in lb_ids for collection, body in self.tree_objects(one)
                if body['provisioning_status'].startswith('PENDING_')]
