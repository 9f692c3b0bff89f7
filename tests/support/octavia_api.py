"""A thin client of the Octavia v2 API over plain HTTP, for tests that check the wire
format itself (status codes, bodies); tests of client compatibility use openstacksdk."""
import time

import requests


class OctaviaApi:
    def __init__(self, url):
        self.base = url + '/v2/lbaas'
        self.http = requests.Session()

    def request(self, method, path, body=None):
        return self.http.request(method, self.base + path, json=body, timeout=30)

    def create(self, collection, key, **fields):
        response = self.request('POST', '/' + collection, {key: fields})
        assert response.status_code == 201, response.text
        return response.json()[key]

    def loadbalancer(self, lb_id):
        return self.request('GET', '/loadbalancers/' + lb_id).json()['loadbalancer']

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
