"""LBaaS::* resources as Heat makes them from a template, for unit tests: the template is
parsed by Heat's own parser into a heat.engine.stack.Stack (as heat.tests.utils.parse_stack
does, but never stored: no database), so property schemas, defaults, constraints and the
name-or-id translation run as on a real engine. Octavia is a mock client behind Heat's
`octavia` client plugin, whose finders (get_pool, ...) ask it by name or id."""

import uuid
from unittest import mock

import pytest
from heat.common import context
from heat.engine import environment
from heat.engine import stack
from heat.engine import template
from heat.engine.clients.os import octavia as octavia_plugin

from heat_lbaas.resources import resource_mapping

HOT_VERSION = '2021-04-16'


def hot(resources):
    """A HOT template (a dict) with these resources."""
    return {'heat_template_version': HOT_VERSION, 'resources': resources}


def _context():
    # heat.tests.utils.dummy_context without heat.tests: its modules select oslo.service
    # backends of their own (importing heat.tests.common after heat.tests.utils fails
    # with BackendAlreadySelected), and HeatTestCase needs a database.
    return context.RequestContext.from_dict({
        'tenant_id': 'test_tenant_id', 'tenant': 'test_tenant', 'username': 'test_user',
        'password': '', 'roles': [], 'is_admin': False, 'auth_token': 'abcd1234',
        'auth_url': 'http://server.test:5000/v3'})


def parse_stack(template_dict, stack_name='test_stack'):
    """A Stack of `template_dict` with the LBaaS::* types registered."""
    env = environment.Environment({})
    for resource_type, resource_class in resource_mapping().items():
        env.register_class(resource_type, resource_class)
    return stack.Stack(_context(), stack_name, template.Template(template_dict, env=env))


def resource_of(template_dict, name):
    """Resource `name` of a stack parsed from `template_dict`, as Heat loads it."""
    parsed = parse_stack(template_dict)
    resource = parsed[name]
    # A resource holds its stack by a weak reference only: keep the stack alive with it.
    resource.parsed_stack = parsed
    return resource


def resource_to_create(template_dict, name):
    """Resource `name` as Heat has it right before handle_create: a uuid, and its
    properties parsed again with name-or-id lookups (Resource.create's reparse)."""
    resource = resource_of(template_dict, name)
    resource.uuid = str(uuid.uuid4())
    resource.reparse()
    return resource


def new_definition(template_dict, name, resource):
    """The definition of `name` in an updated template (what handle_update gets as
    json_snippet), whose functions resolve against the stack of `resource`."""
    return resource.stack.t.__class__(template_dict, env=resource.stack.env
                                      ).resource_definitions(resource.stack)[name]


@pytest.fixture
def octavia():
    """The mock Octavia client of every resource; finders resolve "NAME" to "id-of-NAME"
    and an id to itself."""
    client = mock.Mock()
    client.find.side_effect = lambda path, value, attr=None: {
        'id': value if value.startswith('id-of-') else 'id-of-' + value}
    with mock.patch.object(octavia_plugin.OctaviaClientPlugin, '_create',
                           return_value=client):
        yield client
