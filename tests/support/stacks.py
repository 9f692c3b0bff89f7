"""Stacks on the devcloud from templates written as Python dicts (written to a temp file
and passed to the openstack CLI, as a user would)."""
import collections
import json
import time

import requests
import yaml

from tests.support import devcloud as devcloud_support
from tests.support import processes


def stack_status(devcloud, stack):
    """(stack_status, stack_status_reason) of a stack."""
    shown = devcloud.openstack_json('stack', 'show', stack)
    return shown['stack_status'], shown['stack_status_reason']


def output_value(devcloud, stack, key):
    """An output's value; lists and maps as Python values."""
    value = devcloud.openstack_json('stack', 'output', 'show', stack, key)['output_value']
    return json.loads(value) if isinstance(value, str) and value[:1] in '[{' else value


def delete_leaving_nothing(devcloud, stack, lb_id, started):
    """Delete a stack and check that its load balancer, the HAProxy of it and every
    process of `started` but the devcloud's own services are gone; returns the seconds
    the delete took."""
    amphora_dir = str(devcloud.state_dir / 'controller' / 'amphorae' / lb_id)
    began = time.monotonic()
    devcloud.openstack('stack', 'delete', '-y', '--wait', stack, timeout=600)
    took = time.monotonic() - began
    assert lb_id not in {lb['id'] for lb in devcloud.openstack_json('loadbalancer', 'list')}
    assert processes.with_argument_containing(amphora_dir) == []
    service_pids = devcloud.pids()   # Heat and the controller keep running
    left = [pid for pid in started - service_pids if devcloud_support.is_alive(pid)]
    assert left == [], 'HAProxy or web servers left after stack delete'
    return took


class Stacks:
    def __init__(self, devcloud, directory):
        self.devcloud = devcloud
        self.directory = directory
        self.created = []

    def _template_file(self, name, template):
        path = self.directory / ('%s-%d.yaml' % (name, time.monotonic_ns()))
        path.write_text(yaml.safe_dump(template, sort_keys=False))
        return str(path)

    def create(self, name, template, *args):
        began = time.monotonic()
        self.created.append(name)
        self.devcloud.openstack('stack', 'create', '-t', self._template_file(name, template),
                                *args, '--wait', '--poll', '1', name)
        assert self.status(name) == 'CREATE_COMPLETE'
        return time.monotonic() - began

    def update(self, name, template, *args):
        self.devcloud.openstack('stack', 'update', '-t', self._template_file(name, template),
                                *args, '--wait', name)
        assert self.status(name) == 'UPDATE_COMPLETE'

    def status(self, name):
        return stack_status(self.devcloud, name)[0]

    def validate(self, template):
        """(exit code, output) of `openstack orchestration template validate`."""
        result = self.devcloud.openstack(
            'orchestration', 'template', 'validate', '-t',
            self._template_file('validate', template), check=False)
        return result.returncode, result.stdout + result.stderr

    def output(self, name, key):
        return output_value(self.devcloud, name, key)

    def physical_ids(self, name):
        listed = self.devcloud.openstack_json('stack', 'resource', 'list', name)
        return {r['resource_name']: r['physical_resource_id'] for r in listed}

    def delete(self, name):
        self.devcloud.openstack('stack', 'delete', '-y', '--wait', name)
        self.created.remove(name)

    def delete_all(self):
        for name in list(self.created):
            self.devcloud.openstack('stack', 'delete', '-y', '--wait', name, check=False)
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
