"""Stacks on the devcloud from templates written as Python dicts, sent through the
in-process heatclient (tests/support/heat_client.py) as `openstack stack ...` sends them."""
import collections
import time

import requests
from heatclient import exc as heat_exc

from tests.support import devcloud as devcloud_support
from tests.support import processes


def stack_status(devcloud, stack):
    """(stack_status, stack_status_reason) of a stack."""
    return devcloud.heat.status(stack)


def output_value(devcloud, stack, key):
    """An output's value (lists and maps as Python values)."""
    return devcloud.heat.output(stack, key)


def delete_leaving_nothing(devcloud, stack, lb_id, started):
    """Delete a stack and check that it left nothing (assert_nothing_left); returns the
    seconds the delete took."""
    began = time.monotonic()
    devcloud.heat.delete(stack)
    took = time.monotonic() - began
    assert_nothing_left(devcloud, lb_id, started)
    return took


def assert_nothing_left(devcloud, lb_id, started):
    """After a stack delete: its load balancer, the HAProxy of it and every process of
    `started` but the devcloud's own services are gone."""
    amphora_dir = str(devcloud.state_dir / 'controller' / 'amphorae' / lb_id)
    assert lb_id not in {lb['id'] for lb in devcloud.load_balancer.load_balancers()}
    assert processes.with_argument_containing(amphora_dir) == []
    service_pids = devcloud.pids()   # Heat and the controller keep running
    left = [pid for pid in started - service_pids if devcloud_support.is_alive(pid)]
    assert left == [], 'HAProxy or web servers left after stack delete'


class Stacks:
    def __init__(self, devcloud):
        self.devcloud = devcloud
        self.created = []

    def create(self, name, template, environments=()):
        """Create, wait, assert CREATE_COMPLETE; returns the seconds it took."""
        began = time.monotonic()
        self.created.append(name)
        self.devcloud.heat.create(name, template, environments)
        return time.monotonic() - began

    def create_failing(self, name, template):
        """Create and wait, expecting no CREATE_COMPLETE: (status, reason)."""
        self.created.append(name)
        return self.devcloud.heat.create(name, template, check=False)

    def update(self, name, template, check=True):
        """Update to a new template (not --existing) and wait; (status, reason),
        asserted UPDATE_COMPLETE with check."""
        return self.devcloud.heat.update(name, template, existing=False, check=check)

    def status(self, name):
        return stack_status(self.devcloud, name)[0]

    def validate(self, template):
        """None if `orchestration template validate` accepts the template, else the
        message Heat refuses it with."""
        try:
            self.devcloud.heat.validate(template, show_nested=False)
        except heat_exc.HTTPException as refused:
            return str(refused)
        return None

    def output(self, name, key):
        return output_value(self.devcloud, name, key)

    def physical_ids(self, name):
        return {r['resource_name']: r['physical_resource_id']
                for r in self.devcloud.heat.resources(name)}

    def delete(self, name):
        self.devcloud.heat.delete(name)
        self.created.remove(name)

    def delete_all(self):
        for name in list(self.created):
            self.devcloud.heat.delete(name, check=False)
        self.created.clear()


def served_by(url, count):
    return collections.Counter(
        requests.get(url, timeout=5).text.strip() for _ in range(count))


def web_server(port):
    return {'type': 'LBaaS::Dev::WebServer', 'properties': {'port': port}}


def lb_with_http_listener(devcloud, port):
    """Resources of a load balancer with one HTTP listener (the start of most tests)."""
    return {
        'lb': {'type': 'LBaaS::LoadBalancer',
               'properties': {'vip_subnet': devcloud.settings['vip_subnet_id']}},
        'listener': {'type': 'LBaaS::Listener',
                     'properties': {'loadbalancer': {'get_resource': 'lb'},
                                    'protocol': 'HTTP', 'protocol_port': port}},
    }


def template(resources, outputs=None):
    return {'heat_template_version': '2021-04-16',
            'description': 'heat-lbaas functional test',
            'resources': resources, 'outputs': outputs or {}}


def vip_url(port, path='/'):
    return {'str_replace': {'template': 'http://VIP:%d%s' % (port, path),
                            'params': {'VIP': {'get_attr': ['lb', 'vip_address']}}}}
