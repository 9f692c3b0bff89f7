"""Octavia's admin API: flavor and availability zone profiles and offerings, the
provider capabilities, and amphorae (under /v2/octavia, as in Octavia).

Each handler carries the name of Octavia's policy rule for its action
(`handler.policy_rule`), so enforcing it is a matter of reading that attribute. In
Octavia all of these are for administrators, except reading flavors and availability
zones (get_all, get_one), which load balancer readers may do.
"""
import functools
import re

import webob

from heat_lbaas.controller import admin_model
from heat_lbaas.controller.api import admin_capabilities
from heat_lbaas.controller.api import admin_collections
from heat_lbaas.controller.api import admin_offerings
from heat_lbaas.controller.api import admin_profiles
from heat_lbaas.controller.api import amphorae
from heat_lbaas.controller.api import querying
from heat_lbaas.controller.api import views

RULE_PREFIX = 'os_load-balancer_api'
# Octavia's defaults: these rules are for load balancer readers; every other rule of
# this module is for administrators only.
READER_RULES = frozenset('%s:%s:%s' % (RULE_PREFIX, rbac_type, action)
                         for rbac_type in ('flavor', 'availability-zone')
                         for action in ('get_all', 'get_one'))
LBAAS_PREFIX = r'/v2(?:\.0)?/lbaas'
OCTAVIA_PREFIX = r'/v2(?:\.0)?/octavia'
UUID = r'[0-9a-fA-F-]{36}'


def _route(prefix, pattern):
    return re.compile('^' + prefix + pattern + '/?$')


def _rule(rbac_type, action, handler):
    """`handler` marked with Octavia's rule name, e.g. flavor-profile + post."""
    marked = functools.partial(handler)
    marked.policy_rule = '%s:%s:%s' % (RULE_PREFIX, rbac_type, action)
    return marked


def _fields(request):
    return [name for value in request.GET.getall('fields')
            for name in value.split(',') if name]


class AdminApi:
    def __init__(self, context, respond, read_body):
        self.context = context
        self.respond = respond          # (status, body) -> webob.Response
        self.read_body = read_body      # request -> parsed JSON
        self.collections = {
            admin_model.FLAVOR_PROFILE: admin_profiles.FlavorProfiles(context),
            admin_model.FLAVOR: admin_offerings.Flavors(context),
            admin_model.AVAILABILITY_ZONE_PROFILE:
                admin_profiles.AvailabilityZoneProfiles(context),
            admin_model.AVAILABILITY_ZONE: admin_offerings.AvailabilityZones(context),
        }
        self.amphorae = amphorae.Amphorae(context)

    def routes(self):
        routes = [
            *self._collection_routes(admin_model.FLAVOR_PROFILE, 'flavor-profile', UUID),
            *self._collection_routes(admin_model.FLAVOR, 'flavor', UUID),
            *self._collection_routes(admin_model.AVAILABILITY_ZONE_PROFILE,
                                     'availability-zone-profile', UUID,
                                     path='availabilityzoneprofiles'),
            *self._collection_routes(admin_model.AVAILABILITY_ZONE,
                                     'availability-zone', r'[^/]+',
                                     path='availabilityzones'),
            (_route(LBAAS_PREFIX, r'/providers/([^/]+)/flavor_capabilities'),
             {'GET': _rule('provider-flavor', 'get_all', functools.partial(
                 self.list_capabilities, 'flavor_capabilities',
                 admin_capabilities.FLAVOR_SCHEMA))}),
            (_route(LBAAS_PREFIX, r'/providers/([^/]+)/availability_zone_capabilities'),
             {'GET': _rule('provider-availability-zone', 'get_all', functools.partial(
                 self.list_capabilities, 'availability_zone_capabilities',
                 admin_capabilities.AVAILABILITY_ZONE_SCHEMA))}),
            (_route(OCTAVIA_PREFIX, r'/amphorae'),
             {'GET': _rule('amphora', 'get_all', self.list_amphorae)}),
            (_route(OCTAVIA_PREFIX, r'/amphorae/(%s)' % UUID),
             {'GET': _rule('amphora', 'get_one', self.show_amphora),
              'DELETE': _rule('amphora', 'delete', self.delete_amphora)}),
            (_route(OCTAVIA_PREFIX, r'/amphorae/(%s)/config' % UUID),
             {'PUT': _rule('amphora', 'put_config', self.configure_amphora)}),
            (_route(OCTAVIA_PREFIX, r'/amphorae/(%s)/failover' % UUID),
             {'PUT': _rule('amphora', 'put_failover', self.fail_over_amphora)}),
            (_route(OCTAVIA_PREFIX, r'/amphorae/(%s)/stats' % UUID),
             {'GET': _rule('amphora', 'get_stats', self.show_amphora_stats)}),
        ]
        return routes

    def _collection_routes(self, object_type, rbac_type, key_pattern, path=None):
        collection = self.collections[object_type]

        def bound(method):
            return functools.partial(method, collection)
        path = path or object_type.collection
        return [
            (_route(LBAAS_PREFIX, '/' + path),
             {'GET': _rule(rbac_type, 'get_all', bound(self.list_objects)),
              'POST': _rule(rbac_type, 'post', bound(self.create_object))}),
            (_route(LBAAS_PREFIX, r'/%s/(%s)' % (path, key_pattern)),
             {'GET': _rule(rbac_type, 'get_one', bound(self.show_object)),
              'PUT': _rule(rbac_type, 'put', bound(self.update_object)),
              'DELETE': _rule(rbac_type, 'delete', bound(self.delete_object))}),
        ]

    # --- profiles, flavors, availability zones ---------------------------------

    def _one(self, collection, row, status=200, fields=()):
        body = views.select_fields(collection.show(row), fields)
        return self.respond(status, {collection.object_type.key: body})

    def list_objects(self, collection, request):
        bodies = [collection.show(row) for row in collection.list()]
        return self.respond(200, admin_collections.listing(
            request, collection.object_type, bodies))

    def create_object(self, collection, request):
        return self._one(collection, collection.create(self.read_body(request)), 201)

    def show_object(self, collection, request, key):
        return self._one(collection, collection.get(key), fields=_fields(request))

    def update_object(self, collection, request, key):
        return self._one(collection, collection.update(key, self.read_body(request)))

    def delete_object(self, collection, request, key):
        collection.delete(key)
        return webob.Response(status=204, content_type=None)

    # --- provider capabilities ---------------------------------------------------

    def list_capabilities(self, key, schema, request, provider):
        admin_capabilities.check_provider(provider)
        # Octavia filters these by name and description only, and ignores the rest.
        wanted = {name: request.GET.get(name) for name in ('name', 'description')
                  if request.GET.get(name)}
        items = [{'name': name, 'description': text}
                 for name, text in admin_capabilities.described(schema).items()]
        items = [i for i in items if all(i[k] == v for k, v in wanted.items())]
        return self.respond(200, {key: [views.select_fields(i, _fields(request))
                                        for i in items]})

    # --- amphorae ----------------------------------------------------------------

    def list_amphorae(self, request):
        page, links = querying.apply(
            request, admin_model.AMPHORA,
            [(amphora, amphora) for amphora in self.amphorae.list()])
        return self.respond(200, {'amphorae': page, 'amphorae_links': links})

    def show_amphora(self, request, amphora_id):
        body = views.select_fields(self.amphorae.get(amphora_id), _fields(request))
        return self.respond(200, {'amphora': body})

    def delete_amphora(self, request, amphora_id):
        self.amphorae.delete(amphora_id)

    def configure_amphora(self, request, amphora_id):
        self.amphorae.configure(amphora_id)
        return webob.Response(status=202, content_type=None)

    def fail_over_amphora(self, request, amphora_id):
        self.amphorae.failover(amphora_id)
        return webob.Response(status=202, content_type=None)

    def show_amphora_stats(self, request, amphora_id):
        return self.respond(200, {'amphora_stats': self.amphorae.stats(amphora_id)})


def policy_rules(routes):
    """{(route regex, method): Octavia rule name} of `routes`."""
    return {(pattern.pattern, method): handler.policy_rule
            for pattern, methods in routes for method, handler in methods.items()}
