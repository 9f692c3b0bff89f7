"""autoscaling_web.yaml: every member answers through the VIP; a scale-up signal adds a
distinct responder; a scale-down signal removes one after draining; a continuous request
loop (quick and slow requests) during both sees no failed request."""
from tempest import config
from tempest.lib import decorators

from tempest_plugin.tests.scenario import base
from tempest_plugin import traffic

CONF = config.CONF


class AutoscalingTest(base.StackScenarioTest):

    def scale(self, stack, url, size):
        """Signal a scaling policy, then wait until the group has `size` members and
        has finished scaling (the signal is handled after the 200, and Heat ignores one
        that arrives while the group still scales)."""
        # ScalingPolicy signal URLs are Heat API calls: they take the user's token.
        response = self.member.session.post(url, raise_exc=False)
        self.assertEqual(200, response.status_code, response.text)
        self.wait_until(
            lambda: stack.output('current_size') == size and not (
                self.member.heat.resources.metadata(stack.id, 'web_group')
                .get('scaling_in_progress')),
            CONF.heat_lbaas.stack_timeout, 'the group never reached %d members' % size)

    def wait_for_responders(self, url, count):
        return self.wait_until(
            lambda: (lambda seen: seen if len(seen) == count else None)(
                traffic.responders(url, 3 * (count + 1))),
            CONF.heat_lbaas.stack_timeout, 'never %d distinct members at %s' % (count, url))

    @decorators.idempotent_id('0c6fd7a4-2a4e-4c4e-9f57-3bd5b8a0c101')
    def test_scale_up_and_down_under_load(self):
        stack = self.create_stack('autoscaling_web.yaml', desired_size=2,
                                  scale_up_cooldown=0, scale_down_cooldown=0,
                                  drain_seconds=3)
        url = stack.output('lb_url')
        before = traffic.responders(url, 20)
        self.assertEqual(2, len(before), before)
        self.assertEqual({10}, set(before.values()), before)       # ROUND_ROBIN
        for member_url in stack.output('members'):
            self.assertIn(traffic.served_by(traffic.get(member_url)), before)

        with traffic.RequestLoad(url) as load:
            self.scale(stack, stack.output('scale_up_url'), 3)
            grown = self.wait_for_responders(url, 3)
            self.assertTrue(set(before) < set(grown), (before, grown))
            self.scale(stack, stack.output('scale_down_url'), 2)
            shrunk = self.wait_for_responders(url, 2)
        self.assertEqual([], load.failures)
        self.assertGreater(load.answered, 20)
        self.assertTrue(set(shrunk) < set(grown), (grown, shrunk))
