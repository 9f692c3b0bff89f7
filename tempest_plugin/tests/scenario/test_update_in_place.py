"""An in-place update of the pool's algorithm, then of its session persistence, keeps
the same load balancer, listener and pool (ids) and loses no request."""
import copy

from tempest.lib import decorators

from tempest_plugin.tests.scenario import base
from tempest_plugin import traffic

OCTAVIA_TYPES = ('LBaaS::LoadBalancer', 'LBaaS::Listener', 'LBaaS::Pool')


class UpdateInPlaceTest(base.StackScenarioTest):

    def octavia_ids(self, stack):
        return {kind: stack.physical_ids(kind, nested_depth=0) for kind in OCTAVIA_TYPES}

    @decorators.idempotent_id('3d8a6f20-5b1c-4e7a-9c2d-8f0e1a2b3c04')
    def test_algorithm_and_persistence_change_in_place(self):
        stack = self.create_stack('autoscaling_web.yaml', desired_size=2)
        url, pool_id = stack.output('lb_url'), stack.output('pool_id')
        ids = self.octavia_ids(stack)
        template = copy.deepcopy(stack.template)
        pool = template['resources']['pool']['properties']

        for change in ({'lb_algorithm': 'LEAST_CONNECTIONS'},
                       {'session_persistence': {'type': 'SOURCE_IP'}}):
            pool.update(change)
            with traffic.RequestLoad(url) as load:
                stack.update(template=copy.deepcopy(template))
            self.assertEqual([], load.failures, change)
            self.assertGreater(load.answered, 0)
            self.assertEqual(ids, self.octavia_ids(stack), change)
        served = self.member.load_balancer.get_pool(pool_id)
        self.assertEqual('LEAST_CONNECTIONS', served.lb_algorithm)
        self.assertEqual('SOURCE_IP', served.session_persistence['type'])
        # SOURCE_IP persistence: one client stays on one member.
        self.assertEqual(1, len(traffic.responders(url, 6)))
