"""The OpenAPI 3 document of the API this controller serves (GET /v2/lbaas/openapi.json).

Generated, never written by hand: request and response schemas come from the field
declarations in controller/model.py, the paths and methods from the route table of
api/app.py. A field or route added there shows up here with no further change, so
the document cannot drift from what the controller accepts and answers.
"""
import re

from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.controller import model
from heat_lbaas.controller.api import querying

TITLE = 'heat-lbaas controller: Octavia v2 API'
DOC_PREFIX = '/v2/lbaas'
# Octavia's "fully populated" load balancer create nests these children (given as
# objects, validated by their own declarations on the server).
NESTED_ON_CREATE = {'loadbalancer': ('listeners', 'pools')}
ID_LIST = {'type': 'array', 'items': {
    'type': 'object', 'required': ['id'], 'properties': {'id': {'type': 'string'}}}}
FAULT_REF = {'$ref': '#/components/schemas/Fault'}
# `fields=name&fields=id` (or `fields=name,id`): only those keys of each object.
FIELDS_PARAMETER = {'name': 'fields', 'in': 'query', 'style': 'form', 'explode': True,
                    'schema': {'type': 'array', 'items': {'type': 'string'}}}


# --- schemas from model.py -------------------------------------------------------

def field_schema(field):
    """The JSON schema of one declared field's value (null allowed where it is
    optional: Octavia takes null as 'the default')."""
    kind = field.kind
    if kind == model.INTEGER:
        schema = {'type': 'integer'}
    elif kind == model.FLOAT:
        schema = {'type': 'number'}
    elif kind == model.BOOLEAN:
        schema = {'type': 'boolean'}
    elif kind in (model.STRING_LIST, model.CIDR_LIST):
        schema = {'type': 'array', 'items': {'type': 'string'}}
    elif kind == model.DICT:
        schema = {'type': 'object'}
    elif kind == model.UUID:
        schema = {'type': 'string', 'format': 'uuid'}
    elif kind == model.IP:
        schema = {'type': 'string', 'anyOf': [{'format': 'ipv4'}, {'format': 'ipv6'}]}
    else:
        schema = {'type': 'string', 'maxLength': field.max_length}
    if field.choices:
        # null must be in the enum too for validators to take `nullable` at its word.
        schema['enum'] = list(field.choices) + ([] if field.required else [None])
    if field.minimum is not None:
        schema['minimum'] = field.minimum
    if field.maximum is not None:
        schema['maximum'] = field.maximum
    if field.max_items is not None:
        schema['maxItems'] = field.max_items
    if field.pattern:
        # JSON-schema patterns search; the controller matches the whole value.
        schema['pattern'] = '^(?:%s)$' % field.pattern
    if not field.required:
        schema['nullable'] = True
    return schema


def request_schema(object_type, creating):
    """{"<key>": {...}} with the fields a create (or an update) may carry."""
    allowed = ((model.CREATE_ONLY, model.WRITABLE) if creating else (model.WRITABLE,))
    inner = {'type': 'object', 'additionalProperties': False,
             'properties': {f.name: field_schema(f) for f in object_type.fields
                            if f.access in allowed}}
    if creating:
        for name in NESTED_ON_CREATE.get(object_type.key, ()):
            inner['properties'][name] = {'type': 'array',
                                         'items': {'type': 'object'}}
        required = [f.name for f in object_type.fields
                    if f.required and f.access in allowed]
        if required:
            inner['required'] = required
    return {'type': 'object', 'additionalProperties': False,
            'required': [object_type.key], 'properties': {object_type.key: inner}}


def object_schema(object_type):
    """One object as responses show it (api/views.py)."""
    properties, required = {}, []
    for field in object_type.fields:
        if not field.visible:
            continue
        schema = field_schema(field)
        schema.pop('pattern', None)      # stored values predate stricter patterns
        schema['nullable'] = True
        properties[field.name] = schema
        if not field.omitted_if_null:
            required.append(field.name)
    for name in object_type.relations:
        properties[name] = ID_LIST
        required.append(name)
    properties['tenant_id'] = {'type': 'string', 'nullable': True}
    required.append('tenant_id')
    return {'type': 'object', 'properties': properties, 'required': required}


def _ref(object_type):
    return {'$ref': '#/components/schemas/%s' % _schema_name(object_type)}


def _schema_name(object_type):
    return object_type.title.replace(' ', '')


def _json(schema):
    return {'content': {'application/json': {'schema': schema}}}


def _wrapped(key, schema):
    return {'type': 'object', 'required': [key], 'properties': {key: schema}}


# --- paths from the route table -----------------------------------------------------

def _templates(pattern, route_prefix):
    """The OpenAPI paths one route regex serves, with its parameter names.

    `(a|b)` groups expand into one path each; `([...])` groups are path parameters,
    named after the collection segment before them (/pools/{pool_id}/members)."""
    body = pattern.pattern
    assert body.startswith('^' + route_prefix), body
    body = body[len('^' + route_prefix):]
    body = re.sub(r'/\?\$$', '', body)
    # Split at the slashes outside groups: ([^/]+) is one segment.
    segments = re.findall(r'/((?:\([^)]*\)|[^/()])+)', body)
    paths = [([], [])]
    for segment in segments:
        alternatives = re.fullmatch(r'\(([a-z0-9_|]+)\)', segment)
        if alternatives:
            options = alternatives.group(1).split('|')
        elif segment.startswith('('):
            options = [None]     # a parameter
        else:
            options = [segment.replace('\\', '')]
        expanded = []
        for parts, params in paths:
            for option in options:
                if option is None:
                    owner = model.BY_COLLECTION.get(parts[-1] if parts else '')
                    name = '%s_id' % (owner.key if owner else 'object')
                    expanded.append((parts + ['{%s}' % name], params + [name]))
                else:
                    expanded.append((parts + [option], params))
        paths = expanded
    return [(DOC_PREFIX + ''.join('/' + p for p in parts), parts, params)
            for parts, params in paths]


def _faults(*codes):
    text = {400: 'Invalid input', 404: 'Not found', 409: 'Conflict (immutable '
            'while PENDING_*, duplicate)', 500: 'Server error',
            501: 'An option the provider does not support'}
    return {str(code): dict(description=text[code], **_json(FAULT_REF))
            for code in codes}


def _list_parameters(object_type):
    query = [
        FIELDS_PARAMETER,
        {'name': 'limit', 'in': 'query', 'schema': {'type': 'integer'}},
        {'name': 'marker', 'in': 'query', 'schema': {'type': 'string'}},
        {'name': 'sort', 'in': 'query', 'schema': {'type': 'string'}},
        {'name': 'sort_key', 'in': 'query', 'schema': {'type': 'string'}},
        {'name': 'sort_dir', 'in': 'query', 'schema': {'type': 'string',
                                                        'enum': ['asc', 'desc']}},
        {'name': 'page_reverse', 'in': 'query', 'schema': {'type': 'boolean'}},
    ]
    query += [{'name': name, 'in': 'query', 'schema': {'type': 'string'}}
              for name in querying.TAG_FILTERS]
    query += [{'name': name, 'in': 'query', 'schema': {'type': 'string'}}
              for name in sorted(querying.queryable_fields(object_type))]
    return query


def _collection_operations(object_type, method):
    if method == 'GET':
        return {'summary': 'List %s' % object_type.collection,
                'parameters': _list_parameters(object_type),
                'responses': {'200': dict(description='The page of objects', **_json({
                    'type': 'object',
                    'required': [object_type.collection,
                                 object_type.collection + '_links'],
                    'properties': {
                        object_type.collection: {'type': 'array',
                                                 'items': _ref(object_type)},
                        object_type.collection + '_links': {
                            'type': 'array', 'items': {
                                'type': 'object', 'properties': {
                                    'rel': {'type': 'string',
                                            'enum': ['next', 'previous']},
                                    'href': {'type': 'string'}}}}}})),
                              **_faults(400, 404)}}
    if method == 'POST':
        return {'summary': 'Create a %s' % object_type.title,
                'requestBody': dict(required=True, **_json(
                    request_schema(object_type, creating=True))),
                'responses': {'201': dict(description='Created, PENDING_CREATE', **_json(
                    _wrapped(object_type.key, _ref(object_type)))),
                    **_faults(400, 404, 409, 501)}}
    if method == 'PUT':
        # Batch update: the whole list of members of a pool.
        item = request_schema(object_type, creating=True)['properties'][
            object_type.key]
        return {'summary': 'Replace every %s in one batch' % object_type.title,
                'parameters': [{'name': 'additive_only', 'in': 'query',
                                'schema': {'type': 'boolean'}}],
                'requestBody': dict(required=True, **_json({
                    'type': 'object', 'required': [object_type.collection],
                    'properties': {object_type.collection: {
                        'type': 'array', 'items': item}}})),
                'responses': {'202': {'description': 'Accepted'},
                              **_faults(400, 404, 409, 501)}}
    return None


def _item_operations(object_type, method):
    if method == 'GET':
        return {'summary': 'Show a %s' % object_type.title,
                'parameters': [FIELDS_PARAMETER],
                'responses': {'200': dict(description='The object', **_json(
                    _wrapped(object_type.key, _ref(object_type)))),
                    **_faults(404)}}
    if method == 'PUT':
        return {'summary': 'Update a %s' % object_type.title,
                'requestBody': dict(required=True, **_json(
                    request_schema(object_type, creating=False))),
                'responses': {'200': dict(description='Updated, PENDING_UPDATE', **_json(
                    _wrapped(object_type.key, _ref(object_type)))),
                    **_faults(400, 404, 409, 501)}}
    if method == 'DELETE':
        operation = {'summary': 'Delete a %s' % object_type.title,
                     'responses': {'204': {'description': 'Deleting'},
                                   **_faults(400, 404, 409)}}
        if object_type is model.LOADBALANCER:
            operation['parameters'] = [{'name': 'cascade', 'in': 'query',
                                        'schema': {'type': 'boolean'}}]
        return operation
    return None


def _special_operation(last, method):
    """Routes that are not a collection or one of its objects."""
    if last == 'stats':
        stats = {'type': 'object', 'required': list(octavia.STATS_KEYS),
                 'properties': {k: {'type': 'integer'} for k in octavia.STATS_KEYS}}
        return {'summary': 'Traffic statistics', 'responses': {
            '200': dict(description='Counters', **_json(_wrapped('stats', stats))),
            **_faults(404)}}
    if last == 'status':
        return {'summary': 'Status tree', 'responses': {
            '200': dict(description='The tree', **_json(_wrapped(
                'statuses', {'type': 'object', 'required': ['loadbalancer'],
                             'properties': {'loadbalancer': {'type': 'object'}}}))),
            **_faults(404)}}
    if last == 'providers':
        return {'summary': 'Enabled providers', 'parameters': [FIELDS_PARAMETER],
                'responses': {'200': dict(description='Providers', **_json(_wrapped(
                    'providers', {'type': 'array', 'items': {'type': 'object'}})))}}
    if method in ('PUT', 'POST'):
        return {'summary': last.capitalize(), 'responses': {
            '202': {'description': 'Accepted'}, **_faults(404, 409)}}
    return {'summary': last, 'responses': {'200': {'description': 'OK'}}}


def _operation(parts, method):
    last = parts[-1] if parts else ''
    if last in model.BY_COLLECTION:
        operation = _collection_operations(model.BY_COLLECTION[last], method)
    elif len(parts) >= 2 and parts[-2] in model.BY_COLLECTION and last.startswith('{'):
        operation = _item_operations(model.BY_COLLECTION[parts[-2]], method)
    else:
        operation = None
    return operation or _special_operation(last, method)


def document(routes, route_prefix):
    """The OpenAPI document for `routes` ([(compiled regex, {method: handler})]),
    each regex being '^' + route_prefix + its own path."""
    paths = {}
    for pattern, handlers in routes:
        for path, parts, params in _templates(pattern, route_prefix):
            item = paths.setdefault(path, {})
            if params:
                item['parameters'] = [
                    {'name': name, 'in': 'path', 'required': True,
                     'schema': {'type': 'string', 'format': 'uuid'}}
                    for name in params]
            for method in handlers:
                operation = dict(_operation(parts, method))
                operation['operationId'] = '%s %s' % (method, path)
                operation['responses'].setdefault(
                    'default', dict(description='Fault', **_json(FAULT_REF)))
                item[method.lower()] = operation
    schemas = {_schema_name(t): object_schema(t) for t in model.OBJECT_TYPES}
    schemas['Fault'] = {
        'type': 'object', 'required': ['faultcode', 'faultstring', 'debuginfo'],
        'properties': {'faultcode': {'type': 'string', 'enum': ['Client', 'Server']},
                       'faultstring': {'type': 'string'},
                       'debuginfo': {'type': 'string', 'nullable': True}}}
    return {'openapi': '3.0.3',
            'info': {'title': TITLE, 'version': '2.30',
                     'description': 'Also served under /v2.0/lbaas. Generated from '
                                    'the controller\'s declarations.'},
            'paths': paths,
            'components': {'schemas': schemas}}
