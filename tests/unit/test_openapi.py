"""The OpenAPI document follows the declarations and the route table."""
import types

from heat_lbaas.controller.api import app
from heat_lbaas.controller.api import openapi


def _document():
    context = types.SimpleNamespace(store=None, conf=None, worker=None, stats=None)
    return openapi.document(app.Application(context).routes, app.PREFIX)


def test_every_route_and_method_is_documented():
    paths = _document()['paths']
    assert set(paths['/v2/lbaas/pools/{pool_id}/members']) == {
        'parameters', 'get', 'post', 'put'}
    assert set(paths['/v2/lbaas/loadbalancers/{loadbalancer_id}']) == {
        'parameters', 'get', 'put', 'delete'}
    assert 'get' in paths['/v2/lbaas/loadbalancers/{loadbalancer_id}/status']


def test_request_schemas_carry_the_declared_rules():
    paths = _document()['paths']
    create = paths['/v2/lbaas/pools']['post']['requestBody']['content'][
        'application/json']['schema']['properties']['pool']
    assert set(create['required']) == {'protocol', 'lb_algorithm'}
    assert 'BOGUS' not in create['properties']['lb_algorithm']['enum']
    assert 'healthmonitor_id' not in create['properties']      # read-only
    update = paths['/v2/lbaas/listeners/{listener_id}']['put']['requestBody'][
        'content']['application/json']['schema']['properties']['listener']
    assert 'protocol_port' not in update['properties']          # create-only
    assert update['properties']['connection_limit']['minimum'] == -1


def test_responses_show_objects_and_faults():
    document = _document()
    pool = document['components']['schemas']['Pool']
    assert 'healthmonitor_id' not in pool['required']    # absent while null
    assert 'tenant_id' in pool['required'] and 'members' in pool['required']
    assert 'description' not in document['components']['schemas']['Member'][
        'properties']
    show = document['paths']['/v2/lbaas/pools/{pool_id}']['get']['responses']
    assert show['404']['content']['application/json']['schema'] == {
        '$ref': '#/components/schemas/Fault'}
