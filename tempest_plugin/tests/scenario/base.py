"""What every heat-lbaas scenario does: create a stack of a shipped template with the
configured environments through Heat, wait for it, read its outputs and resources, and
delete it at the end (waiting, so the next test starts on a clean project)."""
import os
import time

from heatclient.common import template_utils
from heatclient import exc as heat_exc
from tempest import config
from tempest.lib.common.utils import data_utils
from tempest import test

from tempest_plugin import clients

CONF = config.CONF


class StackFailed(AssertionError):
    pass


class Stack:
    """A stack of one template: its id, files and environment (kept for updates)."""

    def __init__(self, cloud, template_name, parameters):
        self.cloud = cloud
        self.files, self.template = template_utils.get_template_contents(
            template_file=os.path.join(CONF.heat_lbaas.templates_dir, template_name))
        environment_files, self.environment = (
            template_utils.process_multiple_environments_and_files(
                env_paths=CONF.heat_lbaas.environments))
        self.files.update(environment_files)
        declared = self.template.get('parameters', {})
        self.parameters = dict(parameters)
        if CONF.heat_lbaas.vip_subnet_id and 'vip_subnet' in declared:
            self.parameters['vip_subnet'] = CONF.heat_lbaas.vip_subnet_id
        self.name = data_utils.rand_name('heat-lbaas-' + template_name.split('.')[0])
        self.id = None

    def create(self):
        created = self.cloud.heat.stacks.create(
            stack_name=self.name, template=self.template, files=self.files,
            environment=self.environment, parameters=self.parameters,
            timeout_mins=max(1, CONF.heat_lbaas.stack_timeout // 60))
        self.id = created['stack']['id']
        return self.wait_for('CREATE_COMPLETE')

    def update(self, template=None, **parameters):
        """Update in place (PATCH: parameters not given keep their values)."""
        self.cloud.heat.stacks.update(
            self.id, existing=True, template=template or self.template, files=self.files,
            environment=self.environment, parameters=parameters)
        return self.wait_for('UPDATE_COMPLETE')

    def wait_for(self, wanted):
        deadline = time.monotonic() + CONF.heat_lbaas.stack_timeout
        while True:
            stack = self.cloud.heat.stacks.get(self.id)
            if stack.stack_status == wanted:
                return stack
            if not stack.stack_status.endswith('IN_PROGRESS'):
                raise StackFailed('stack %s is %s, not %s: %s' % (
                    self.name, stack.stack_status, wanted, stack.stack_status_reason))
            if time.monotonic() > deadline:
                raise StackFailed('stack %s still %s after %d s' % (
                    self.name, stack.stack_status, CONF.heat_lbaas.stack_timeout))
            time.sleep(CONF.heat_lbaas.build_interval)

    def output(self, key):
        return self.cloud.heat.stacks.output_show(self.id, key)['output']['output_value']

    def physical_ids(self, resource_type, nested_depth=3):
        """Sorted physical ids of every resource of that type, in nested stacks too
        (where several share a name: each group member's `server`)."""
        return sorted(resource.physical_resource_id
                      for resource in self.cloud.heat.resources.list(
                          self.id, nested_depth=nested_depth,
                          filters={'type': resource_type}))

    def delete(self):
        if self.id is None:
            return
        try:
            self.cloud.heat.stacks.delete(self.id)
            self.wait_for('DELETE_COMPLETE')
        except heat_exc.HTTPNotFound:
            pass


class StackScenarioTest(test.BaseTestCase):
    """Stacks are created as `project_member` (role member in its project)."""

    credentials = ['project_member']

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        if not CONF.service_available.heat_lbaas:
            raise cls.skipException('[service_available] heat_lbaas is False')

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.member = clients.CloudClients(cls.os_project_member.credentials)

    def create_stack(self, template_name, cloud=None, **parameters):
        """A stack of `template_name`, CREATE_COMPLETE, deleted when the test ends."""
        stack = Stack(cloud or self.member, template_name, parameters)
        self.addCleanup(stack.delete)
        stack.create()
        return stack

    def wait_until(self, predicate, timeout, message, interval=0.5):
        """predicate()'s first true value within `timeout` seconds, else fail."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(interval)
        self.fail(message)
