"""A member's server dies: its health monitor marks the member ERROR, and once the
detection window is over no request fails; when the server comes back, so does the
member, and it serves again."""
import time

from tempest import config
from tempest.lib import decorators

from tempest_plugin import server_control
from tempest_plugin.tests.scenario import base
from tempest_plugin import traffic

CONF = config.CONF


class MemberFailureTest(base.StackScenarioTest):

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.servers = server_control.for_config(cls.os_project_member)

    def member_status(self, pool_id, address):
        members = [member for member in self.member.load_balancer.members(pool_id)
                   if member.address == address]
        self.assertEqual(1, len(members), members)
        return members[0].operating_status

    def wait_for_member(self, pool_id, address, status):
        self.wait_until(lambda: self.member_status(pool_id, address) == status,
                        CONF.heat_lbaas.member_detection_seconds,
                        'member %s never became %s' % (address, status))

    @decorators.idempotent_id('9e4b2c71-3f5a-4a8d-b6e0-7d1c2f3a4b03')
    def test_dead_member_is_taken_out_and_comes_back(self):
        stack = self.create_stack('autoscaling_web.yaml', desired_size=2)
        url, pool_id = stack.output('lb_url'), stack.output('pool_id')
        server_ids = stack.physical_ids(self.servers.resource_type)
        self.assertEqual(2, len(server_ids), server_ids)
        victim = server_ids[0]
        victim_address = self.servers.address(victim)
        self.assertIn(victim_address, traffic.responders(url, 4))

        with traffic.RequestLoad(url, paths=('', '')) as load:
            self.servers.kill(victim)
            self.wait_for_member(pool_id, victim_address, 'ERROR')
            detected = time.monotonic()
            time.sleep(3)
            after_detection = load.failures_since(detected)
        self.assertEqual([], after_detection)
        self.assertGreater(load.answered, 0)
        self.assertNotIn(victim_address, traffic.responders(url, 6))

        self.servers.start(victim)
        self.wait_for_member(pool_id, victim_address, 'ONLINE')
        self.assertEqual(2, len(self.wait_until(
            lambda: (lambda seen: seen if len(seen) == 2 else None)(
                traffic.responders(url, 6)),
            CONF.heat_lbaas.member_detection_seconds, 'the member never served again')))
