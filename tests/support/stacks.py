"""Stacks on the devcloud from templates written as Python dicts (written to a temp file
and passed to the openstack CLI, as a user would)."""
import collections
import json
import time

import requests
import yaml


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
        return self.devcloud.openstack_json('stack', 'show', name)['stack_status']

    def validate(self, template):
        """(exit code, output) of `openstack orchestration template validate`."""
        result = self.devcloud.openstack(
            'orchestration', 'template', 'validate', '-t',
            self._template_file('validate', template), check=False)
        return result.returncode, result.stdout + result.stderr

    def output(self, name, key):
        shown = self.devcloud.openstack_json('stack', 'output', 'show', name, key)
        value = shown['output_value']
        return json.loads(value) if isinstance(value, str) and value[:1] in '[{' else value

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
