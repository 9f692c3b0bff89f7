"""l7_routing.yaml (the seed's demo): `/api...` and the beta header go to the API pool,
the rest to the web pool, the second listener to the API pool; REJECT gives 403;
redirects give the configured code and Location."""
from tempest.lib import decorators

from tempest_plugin.tests.scenario import base
from tempest_plugin import traffic


class L7RoutingTest(base.StackScenarioTest):

    @decorators.idempotent_id('5a1f3b9e-7c62-4d0e-8f3c-1e2d4b6a8c02')
    def test_routes_rejects_and_redirects(self):
        stack = self.create_stack('l7_routing.yaml')
        listener1, listener2 = stack.output('listener1_url'), stack.output('listener2_url')
        web, api = stack.output('server1_address'), stack.output('server2_address')

        def server(url, **kwargs):
            return traffic.served_by(traffic.get(url, **kwargs))

        self.assertEqual({web}, {server(listener1) for _ in range(4)})
        self.assertEqual(api, server(listener1 + 'api'))
        self.assertEqual(api, server(listener1 + 'api/v1/items?x=1'))
        self.assertEqual(web, server(listener1 + 'apx'))
        self.assertEqual({api}, {server(listener2 + path) for path in ('', 'x', 'api')})
        self.assertEqual(api, server(listener1, headers={'X-Beta': '1'}))

        self.assertEqual(403, traffic.get(listener1 + 'admin').status_code)
        self.assertEqual(403, traffic.get(listener1 + 'admin/users').status_code)
        self.assertEqual(200, traffic.get(listener2 + 'admin').status_code)

        redirected = traffic.get(listener1 + 'any/path', headers={'Host': 'legacy.example.com'})
        self.assertEqual((301, 'https://www.example.com/'),
                         (redirected.status_code, redirected.headers['Location']))
        redirected = traffic.get(listener1 + 'docs/guide/intro.html')
        self.assertEqual((302, 'https://docs.example.com/docs/guide/intro.html'),
                         (redirected.status_code, redirected.headers['Location']))
