"""Project isolation: another project's member can neither see nor change the first
project's stack or its load balancer; a reader of the first project can read its load
balancer but cannot create one."""
from heatclient import exc as heat_exc
from openstack import exceptions as sdk_exc
from tempest.lib import decorators

from tempest_plugin import clients
from tempest_plugin.tests.scenario import base


class ProjectIsolationTest(base.StackScenarioTest):

    credentials = ['project_member', 'project_reader', 'project_alt_member']

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.reader = clients.CloudClients(cls.os_project_reader.credentials)
        cls.other = clients.CloudClients(cls.os_project_alt_member.credentials)

    @decorators.idempotent_id('e8a3c5f7-1b2d-4f6e-9a0c-3b5d7f9a1c07')
    def test_another_project_sees_and_changes_nothing(self):
        stack = self.create_stack('single_call_lb.yaml')
        lb_id = stack.physical_ids('LBaaS::LoadBalancer', nested_depth=0)[0]

        self.assertRaises(heat_exc.HTTPNotFound, self.other.heat.stacks.get, stack.id)
        self.assertNotIn(stack.id, [s.id for s in self.other.heat.stacks.list()])
        self.assertRaises(heat_exc.HTTPNotFound, self.other.heat.stacks.delete, stack.id)
        # Octavia finds the object, then refuses the caller: 403 PolicyForbidden
        # (octavia-tempest-plugin asserts the same), and lists only the caller's own.
        self.assertRaises(sdk_exc.ForbiddenException,
                          self.other.load_balancer.get_load_balancer, lb_id)
        self.assertNotIn(lb_id, [lb.id for lb in self.other.load_balancer.load_balancers()])
        self.assertRaises(sdk_exc.ForbiddenException,
                          self.other.load_balancer.update_load_balancer, lb_id, name='x')
        self.assertRaises(sdk_exc.ForbiddenException,
                          self.other.load_balancer.delete_load_balancer, lb_id)
        # Still there and unchanged for its own project.
        self.assertEqual('ACTIVE', self.member.load_balancer.get_load_balancer(
            lb_id).provisioning_status)
        self.assertEqual('CREATE_COMPLETE', self.member.heat.stacks.get(stack.id).stack_status)

    @decorators.idempotent_id('f2b4d6e8-0a1c-4e3f-8b5d-7f9a1b3c5e08')
    def test_a_reader_reads_but_cannot_create(self):
        stack = self.create_stack('single_call_lb.yaml')
        lb_id = stack.physical_ids('LBaaS::LoadBalancer', nested_depth=0)[0]
        self.assertEqual(lb_id, self.reader.load_balancer.get_load_balancer(lb_id).id)
        existing = self.member.load_balancer.get_load_balancer(lb_id)
        self.assertRaises(sdk_exc.ForbiddenException,
                          self.reader.load_balancer.create_load_balancer,
                          vip_subnet_id=existing.vip_subnet_id, name='forbidden')
        self.assertRaises(sdk_exc.ForbiddenException,
                          self.reader.load_balancer.delete_load_balancer, lb_id)
        # Through Heat: refused by Heat's policy, or by the load-balancer API's (403)
        # when the stack creates its load balancer with the reader's trust.
        reader_stack = base.Stack(self.reader, 'single_call_lb.yaml', {})
        self.addCleanup(reader_stack.delete)
        try:
            reader_stack.create()
        except heat_exc.HTTPForbidden:
            pass
        except base.StackFailed as failed:
            self.assertIn('Policy does not allow this request to be performed', str(failed))
        else:
            self.fail('a reader created a load balancer through Heat')
        self.assertEqual([lb_id], [lb.id for lb in self.member.load_balancer.load_balancers()])
