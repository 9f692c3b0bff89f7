"""Every admin API handler names Octavia's policy rule for its action, so policy
enforcement can be wired from the route table alone."""
import types

from heat_lbaas.controller.api import admin_api

OCTAVIA_RULES = {
    ('/v2/lbaas/flavors', 'GET'): 'flavor:get_all',
    ('/v2/lbaas/flavors', 'POST'): 'flavor:post',
    ('/v2/lbaas/flavors/{id}', 'GET'): 'flavor:get_one',
    ('/v2/lbaas/flavors/{id}', 'PUT'): 'flavor:put',
    ('/v2/lbaas/flavors/{id}', 'DELETE'): 'flavor:delete',
    ('/v2/lbaas/flavorprofiles', 'GET'): 'flavor-profile:get_all',
    ('/v2/lbaas/flavorprofiles', 'POST'): 'flavor-profile:post',
    ('/v2/lbaas/flavorprofiles/{id}', 'GET'): 'flavor-profile:get_one',
    ('/v2/lbaas/flavorprofiles/{id}', 'PUT'): 'flavor-profile:put',
    ('/v2/lbaas/flavorprofiles/{id}', 'DELETE'): 'flavor-profile:delete',
    ('/v2/lbaas/availabilityzones', 'GET'): 'availability-zone:get_all',
    ('/v2/lbaas/availabilityzones', 'POST'): 'availability-zone:post',
    ('/v2/lbaas/availabilityzones/{name}', 'GET'): 'availability-zone:get_one',
    ('/v2/lbaas/availabilityzones/{name}', 'PUT'): 'availability-zone:put',
    ('/v2/lbaas/availabilityzones/{name}', 'DELETE'): 'availability-zone:delete',
    ('/v2/lbaas/availabilityzoneprofiles', 'GET'): 'availability-zone-profile:get_all',
    ('/v2/lbaas/availabilityzoneprofiles', 'POST'): 'availability-zone-profile:post',
    ('/v2/lbaas/availabilityzoneprofiles/{id}', 'GET'):
        'availability-zone-profile:get_one',
    ('/v2/lbaas/availabilityzoneprofiles/{id}', 'PUT'): 'availability-zone-profile:put',
    ('/v2/lbaas/availabilityzoneprofiles/{id}', 'DELETE'):
        'availability-zone-profile:delete',
    ('/v2/lbaas/providers/amphora/flavor_capabilities', 'GET'):
        'provider-flavor:get_all',
    ('/v2/lbaas/providers/amphora/availability_zone_capabilities', 'GET'):
        'provider-availability-zone:get_all',
    ('/v2/octavia/amphorae', 'GET'): 'amphora:get_all',
    ('/v2/octavia/amphorae/{id}', 'GET'): 'amphora:get_one',
    ('/v2/octavia/amphorae/{id}', 'DELETE'): 'amphora:delete',
    ('/v2/octavia/amphorae/{id}/config', 'PUT'): 'amphora:put_config',
    ('/v2/octavia/amphorae/{id}/failover', 'PUT'): 'amphora:put_failover',
    ('/v2/octavia/amphorae/{id}/stats', 'GET'): 'amphora:get_stats',
}
SAMPLE = {'{id}': '6c0f3b8e-2a4d-4f7e-9a1b-3c5d7e9f1a2b', '{name}': 'zone-a'}


def _routes():
    # The routes are plain data: no store or driver is reached while building them.
    context = types.SimpleNamespace(store=None, stats=None)
    return admin_api.AdminApi(context, None, None).routes()


def _rule_of(routes, path, method):
    for placeholder, value in SAMPLE.items():
        path = path.replace(placeholder, value)
    matched = [methods[method] for pattern, methods in routes
               if pattern.match(path) and method in methods]
    assert len(matched) == 1, (path, method)
    return matched[0].policy_rule


def test_each_action_carries_octavias_rule_name():
    routes = _routes()
    for (path, method), rule in OCTAVIA_RULES.items():
        assert _rule_of(routes, path, method) == 'os_load-balancer_api:' + rule
    # ... and no route is left without one.
    assert len(admin_api.policy_rules(routes)) == len(OCTAVIA_RULES)


def test_only_reading_flavors_and_zones_is_for_readers():
    assert admin_api.READER_RULES == {
        'os_load-balancer_api:%s' % OCTAVIA_RULES[key] for key in (
            ('/v2/lbaas/flavors', 'GET'), ('/v2/lbaas/flavors/{id}', 'GET'),
            ('/v2/lbaas/availabilityzones', 'GET'),
            ('/v2/lbaas/availabilityzones/{name}', 'GET'))}
