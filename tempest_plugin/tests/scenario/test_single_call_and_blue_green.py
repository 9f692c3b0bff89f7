"""single_call_lb.yaml: one load balancer built in one API call serves both pools.
blue_green.yaml: switching the live color by a stack update fails no request."""
import time

from tempest.lib import decorators

from tempest_plugin.tests.scenario import base
from tempest_plugin import traffic


def color(response):
    return 'green' if 'green_members' in response.text else 'blue'


class SingleCallAndBlueGreenTest(base.StackScenarioTest):

    @decorators.idempotent_id('7b2e9d41-8a3f-4c6b-a1d5-2e4f6a8b0c05')
    def test_single_call_load_balancer_serves_both_pools(self):
        stack = self.create_stack('single_call_lb.yaml')
        url = stack.output('lb_url')
        web = set(stack.output('web_server_addresses'))
        answered = traffic.responders(url, 10)
        self.assertEqual(web, set(answered))
        self.assertEqual({5}, set(answered.values()))             # ROUND_ROBIN
        self.assertEqual(stack.output('api_server_address'),
                         traffic.served_by(traffic.get(url + 'api/x')))
        pools = stack.output('status_tree')['loadbalancer']['listeners'][0]['pools']
        self.assertEqual([1, 2], sorted(len(pool['members']) for pool in pools))

    @decorators.idempotent_id('c4f1a8e2-6d9b-4b3a-8e7f-5a1c3e5d7f06')
    def test_blue_green_switch_under_load(self):
        stack = self.create_stack('blue_green.yaml')
        url, preview = stack.output('lb_url'), stack.output('preview_url')

        def colors(at):
            return {color(traffic.get(at)) for _ in range(8)}

        self.assertEqual({'blue'}, colors(url))
        self.assertEqual({'green'}, colors(preview))
        for live in ('green', 'blue'):
            with traffic.RequestLoad(url, paths=('', ''), classify=color) as load:
                time.sleep(1)
                stack.update(live_color=live)
                time.sleep(1)
            self.assertEqual([], load.failures, live)
            self.assertGreater(load.answers[live], 0, load.answers)
            self.assertEqual({live}, colors(url))
            self.assertEqual({'blue', 'green'} - {live}, colors(preview))
