"""The Octavia v2 API as a WSGI application: routing, JSON in and out, faults."""
import functools
import json
import logging
import re

from oslo_utils import strutils
import webob
import webob.dec

from heat_lbaas.controller.api import admin_api
from heat_lbaas.controller.api import authorization
from heat_lbaas.controller import errors
from heat_lbaas.controller.api import full_views
from heat_lbaas.controller.api import healthmonitors
from heat_lbaas.controller.api import l7policies
from heat_lbaas.controller.api import l7rules
from heat_lbaas.controller.api import listeners
from heat_lbaas.controller.api import loadbalancer_graph
from heat_lbaas.controller.api import loadbalancers
from heat_lbaas.controller.api import member_batch
from heat_lbaas.controller.api import members
from heat_lbaas.controller.api import openapi
from heat_lbaas.controller.api import policy
from heat_lbaas.controller.api import pools
from heat_lbaas.controller.api import querying
from heat_lbaas.controller.api import quotas
from heat_lbaas.controller.api import status_tree
from heat_lbaas.controller.api import views
from heat_lbaas.controller.db import snapshot

LOG = logging.getLogger(__name__)

API_VERSION = 'v2.30'   # the highest microversion of Octavia 19, whose shapes we serve
UUID = r'[0-9a-fA-F-]{36}'
# /v2 (openstacksdk after version discovery) and /v2.0 (python-octaviaclient).
PREFIX = r'/v2(?:\.0)?/lbaas'


def _route(pattern):
    return re.compile('^' + PREFIX + pattern + '/?$')


class Application:
    def __init__(self, context):
        self.context = context
        self.enforcer = policy.Enforcer(context.conf)
        self.authorization = authorization.Authorization(context.store, self.enforcer)
        self.collections = {
            'loadbalancers': loadbalancers.LoadBalancers(context),
            'listeners': listeners.Listeners(context),
            'pools': pools.Pools(context),
            'healthmonitors': healthmonitors.HealthMonitors(context),
            'l7policies': l7policies.L7Policies(context),
        }
        self.members = members.Members(context)
        self.member_batch = member_batch.MemberBatch(context)
        self.rules = l7rules.L7Rules(context)
        self.quotas = quotas.Quotas(context)
        self.routes = [
            (_route(r'/providers'), {'GET': self.list_providers}),
            (_route(r'/openapi\.json'), {'GET': self.show_openapi}),
            (_route(r'/loadbalancers/(%s)/status' % UUID), {'GET': self.show_status}),
            (_route(r'/loadbalancers/(%s)/stats' % UUID), {'GET': self.show_lb_stats}),
            (_route(r'/loadbalancers/(%s)/failover' % UUID),
             {'PUT': self.failover_loadbalancer}),
            (_route(r'/listeners/(%s)/stats' % UUID),
             {'GET': self.show_listener_stats}),
            *self._nested_routes('pools', 'members', self.members,
                                 {'PUT': self.batch_update_members}),
            *self._nested_routes('l7policies', 'rules', self.rules),
            (_route(r'/(loadbalancers|listeners|pools|healthmonitors|l7policies)'),
             {'GET': self.list_objects, 'POST': self.create_object}),
            (_route(r'/(loadbalancers|listeners|pools|healthmonitors|l7policies)/([^/]+)'),
             {'GET': self.show_object, 'PUT': self.update_object,
              'DELETE': self.delete_object}),
        ]
        # Octavia's quota API; not in the OpenAPI document (self.routes) yet.
        self.admin_routes = self.quota_routes()
        # Flavors, availability zones, provider capabilities, amphorae (api/admin_api.py).
        self.admin_routes += admin_api.AdminApi(context, self._json, self._body).routes()

    @webob.dec.wsgify
    def __call__(self, request):
        try:
            if request.path_info.rstrip('/') in ('', '/v2', '/v2.0'):
                return self._json(200, self.versions(request))
            for pattern, methods in self.routes + self.admin_routes:
                match = pattern.match(request.path_info)
                if match:
                    handler = methods.get(request.method)
                    if handler is None:
                        raise errors.MethodNotAllowed(
                            'The method %s is not allowed for this resource.'
                            % request.method)
                    self.authorization.check(request)
                    if getattr(handler, 'policy_rule', None):   # the admin API's
                        self.enforcer.authorize_rule(request, handler.policy_rule)
                    return handler(request, *match.groups())
            return self._json(404, errors.ApiError(
                'The resource could not be found.').body())
        except errors.ApiError as error:
            return self._json(error.status, error.body())
        except Exception:
            LOG.exception('Request %s %s failed', request.method, request.path_qs)
            return self._json(500, errors.ServerError(
                'Internal server error: see the controller log').body())

    # --- plumbing -------------------------------------------------------------

    @staticmethod
    def _json(status, body):
        response = webob.Response(status=status, content_type='application/json',
                                  charset='UTF-8')
        response.text = json.dumps(body)
        return response

    @staticmethod
    def _body(request):
        try:
            return json.loads(request.body or b'null')
        except ValueError as error:
            raise errors.ApiError('Invalid JSON in request body: %s' % error)

    def _project(self, request):
        # The caller's project as the policy checks saw it (noauth: X-Project-Id or
        # [controller] default_project_id).
        return self.enforcer.context(request).project_id

    def _show(self, object_type, row, status=200, fields=()):
        body = views.show(self.context.store, object_type, row)
        return self._json(status, {object_type.key: views.select_fields(body, fields)})

    def _list(self, request, object_type, rows):
        project_id = self.authorization.list_project(request)
        if project_id is not None:
            rows = [r for r in rows if r['project_id'] == project_id]
        with self.context.store.transaction():
            tables = snapshot.Snapshot(self.context.store)
            items = [(views.show(tables, object_type, r), r) for r in rows]
        page, links = querying.apply(request, object_type, items)
        return self._json(200, {object_type.collection: page,
                                object_type.collection + '_links': links})

    # --- versions and providers ----------------------------------------------

    def versions(self, request):
        base = request.host_url
        return {'versions': [
            {'id': 'v2.0', 'status': 'SUPPORTED', 'updated': '2016-12-11T00:00:00Z',
             'links': [{'href': base + '/v2', 'rel': 'self'}]},
            {'id': API_VERSION, 'status': 'CURRENT', 'updated': '2024-10-01T00:00:00Z',
             'links': [{'href': base + '/v2', 'rel': 'self'}]},
        ]}

    def show_openapi(self, request):
        # Generated on first use: the route table and declarations are fixed at start.
        if getattr(self, '_openapi', None) is None:
            self._openapi = openapi.document(self.routes, PREFIX)
        return self._json(200, self._openapi)

    def list_providers(self, request):
        fields = querying.requested_fields(request.GET)
        return self._json(200, {'providers': [
            views.select_fields({'name': name, 'description': text}, fields)
            for name, text in loadbalancers.PROVIDERS.items()]})

    # --- top-level collections -------------------------------------------------

    def list_objects(self, request, collection):
        handler = self.collections[collection]
        return self._list(request, handler.object_type, handler.list())

    def create_object(self, request, collection):
        handler = self.collections[collection]
        body = self._body(request)
        row = handler.create(body, self._project(request))
        if collection == 'loadbalancers' and loadbalancer_graph.is_fully_populated(body):
            # Octavia answers a fully populated create with the whole tree.
            return self._json(201, {'loadbalancer': full_views.loadbalancer(
                self.context.store, row)})
        return self._show(handler.object_type, row, 201)

    def show_object(self, request, collection, object_id):
        handler = self.collections[collection]
        return self._show(handler.object_type, handler.get(object_id),
                          fields=request.GET.getall('fields'))

    def update_object(self, request, collection, object_id):
        handler = self.collections[collection]
        row = handler.update(object_id, self._body(request))
        return self._show(handler.object_type, row)

    def delete_object(self, request, collection, object_id):
        handler = self.collections[collection]
        if collection == 'loadbalancers':
            cascade = request.GET.get('cascade', 'false').lower() == 'true'
            handler.delete(object_id, cascade=cascade)
        else:
            handler.delete(object_id)
        return webob.Response(status=204, content_type=None)

    # --- nested collections: members in a pool, rules in an L7 policy ----------

    def _nested_routes(self, parents, children, handler, extra_collection_methods=None):
        """Routes of `/<parents>/{id}/<children>[/{id}]` served by `handler`."""
        def bound(method):
            return functools.partial(method, handler)
        collection = {'GET': bound(self.list_children), 'POST': bound(self.create_child)}
        collection.update(extra_collection_methods or {})
        return [
            (_route(r'/%s/(%s)/%s' % (parents, UUID, children)), collection),
            (_route(r'/%s/(%s)/%s/(%s)' % (parents, UUID, children, UUID)),
             {'GET': bound(self.show_child), 'PUT': bound(self.update_child),
              'DELETE': bound(self.delete_child)}),
        ]

    def list_children(self, handler, request, parent_id):
        return self._list(request, handler.object_type, handler.list_in(parent_id))

    def create_child(self, handler, request, parent_id):
        row = handler.create(parent_id, self._body(request), self._project(request))
        return self._show(handler.object_type, row, 201)

    def show_child(self, handler, request, parent_id, child_id):
        return self._show(handler.object_type, handler.get_in_parent(parent_id, child_id),
                          fields=request.GET.getall('fields'))

    def update_child(self, handler, request, parent_id, child_id):
        row = handler.update(parent_id, child_id, self._body(request))
        return self._show(handler.object_type, row)

    def delete_child(self, handler, request, parent_id, child_id):
        handler.delete(parent_id, child_id)
        return webob.Response(status=204, content_type=None)

    def batch_update_members(self, request, pool_id):
        additive_only = strutils.bool_from_string(request.GET.get('additive_only'))
        self.member_batch.replace(pool_id, self._body(request), additive_only,
                                  self._project(request))
        return webob.Response(status=202, content_type=None)

    # --- quotas ----------------------------------------------------------------

    def quota_routes(self):
        project = r'([^/]+)'
        return [
            (_route(r'/quotas'), {'GET': self.list_quotas}),
            (_route(r'/quotas/defaults'), {'GET': self.show_quota_defaults}),
            # Octavia also answers /quotas/{project_id}/default with the defaults.
            (_route(r'/quotas/%s/default' % project),
             {'GET': lambda request, project_id: self.show_quota_defaults(request)}),
            (_route(r'/quotas/%s' % project),
             {'GET': self.show_quota, 'PUT': self.update_quota,
              'DELETE': self.reset_quota}),
        ]

    def list_quotas(self, request):
        project_id = (self.authorization.list_project(request)
                      or request.GET.get('project_id'))
        return self._json(200, {'quotas': self.quotas.list(project_id),
                                'quotas_links': []})

    def show_quota_defaults(self, request):
        return self._json(200, {'quota': self.quotas.show_defaults()})

    def show_quota(self, request, project_id):
        return self._json(200, {'quota': self.quotas.show(project_id)})

    def update_quota(self, request, project_id):
        return self._json(202, {'quota': self.quotas.update(project_id,
                                                            self._body(request))})

    def reset_quota(self, request, project_id):
        self.quotas.reset(project_id)
        return webob.Response(status=202, content_type=None)

    # --- status and statistics -------------------------------------------------

    def show_status(self, request, lb_id):
        self.collections['loadbalancers'].get(lb_id)
        return self._json(200, {'statuses': status_tree.build(self.context.store, lb_id)})

    def failover_loadbalancer(self, request, lb_id):
        self.collections['loadbalancers'].failover(lb_id)
        return webob.Response(status=202, content_type=None)

    def show_lb_stats(self, request, lb_id):
        self.collections['loadbalancers'].get(lb_id)
        return self._json(200, {'stats': self.context.stats.for_loadbalancer(lb_id)})

    def show_listener_stats(self, request, listener_id):
        listener = self.collections['listeners'].get(listener_id)
        return self._json(200, {'stats': self.context.stats.for_listener(
            listener['loadbalancer_id'], listener_id)})
