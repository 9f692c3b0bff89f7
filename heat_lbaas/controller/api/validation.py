"""Request bodies checked against the declarations in controller/model.py.

Messages follow Octavia's (WSME) wording: "Invalid input for field/attribute X.
Value: 'V'. <reason>".
"""
import ipaddress
import re
import uuid

from heat_lbaas.controller import model
from heat_lbaas.controller import errors

# Integers are stored as 64-bit (db/store.py: BigInteger).
MAX_STORED_INTEGER = 2 ** 63 - 1


def _check_kind(field, value):
    """Return the value converted to the field's kind, or raise InvalidInput."""
    def invalid(reason):
        return errors.InvalidInput(field.name, value, reason)

    kind = field.kind
    if kind == model.BOOLEAN:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ('true', 'false'):
            return value.lower() == 'true'
        raise invalid('Value should be a boolean')
    if kind == model.INTEGER:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise invalid("Wrong type. Expected '<class 'int'>', got '%s'" % type(value))
        try:
            value = int(value)
        except ValueError:
            raise invalid("Wrong type. Expected '<class 'int'>', got '<class 'str'>'")
        if field.minimum is not None and value < field.minimum:
            raise invalid('Value should be greater or equal to %s' % field.minimum)
        # Fields without a declared maximum still have to fit their column.
        maximum = MAX_STORED_INTEGER if field.maximum is None else field.maximum
        if value > maximum:
            raise invalid('Value should be lower or equal to %s' % maximum)
        return value
    if kind == model.FLOAT:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise invalid("Wrong type. Expected '<class 'float'>', got '%s'"
                          % type(value))
        return float(value)
    if kind in (model.STRING_LIST, model.CIDR_LIST):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise invalid('Value should be a list of strings')
        if field.max_items is not None and len(value) > field.max_items:
            raise invalid('Value should have at most %d items' % field.max_items)
        if kind == model.CIDR_LIST:
            return _normalised_cidrs(field, value)
        return list(value)
    if kind == model.DICT:
        if not isinstance(value, dict):
            raise invalid('Value should be a dictionary')
        return dict(value)
    if not isinstance(value, str):
        raise invalid("Wrong type. Expected '<class 'str'>', got '%s'" % type(value))
    if kind == model.UUID:
        try:
            uuid.UUID(value)
        except ValueError:
            raise invalid('Value should be UUID format')
    elif kind == model.IP:
        _check_ip(value, invalid)
    elif len(value) > field.max_length:
        raise invalid('Value should have a maximum character requirement of %s'
                      % field.max_length)
    if field.pattern and not re.fullmatch(field.pattern, value):
        raise invalid('Value should match the pattern %s' % field.pattern)
    if kind == model.STATUS_CODES:
        _check_code_range(value, invalid)
    return value


def _check_ip(value, invalid):
    """An IPv4 or IPv6 address, kept as written: Octavia's IPAddressType (WSME's
    inet_pton check) validates and stores the text as given, so '2001:db8:0:0:0:0:0:1'
    comes back as sent. IPv6 scope ids ('fe80::1%eth0') are refused, as inet_pton
    refuses them (Python's ipaddress would accept any text after the '%')."""
    try:
        if '%' in value:
            raise ValueError(value)
        ipaddress.ip_address(value)
    except ValueError:
        raise invalid('Value should be IPv4 or IPv6 format')


def _normalised_cidrs(field, cidrs):
    """Each CIDR as Octavia stores it (CidrType: host bits cleared, with prefix)."""
    normalised = []
    for cidr in cidrs:
        try:
            if '%' in cidr:
                raise ValueError(cidr)
            normalised.append(ipaddress.ip_network(cidr, strict=False).with_prefixlen)
        except ValueError:
            raise errors.InvalidInput(field.name, cidr,
                                      'Value should be IPv4 or IPv6 CIDR format')
    # One entry per network: HAProxy would only match the first of equal ones.
    return list(dict.fromkeys(normalised))


def _check_code_range(codes, invalid):
    if '-' in codes:
        low, high = codes.split('-')
        if int(low) > int(high):
            raise invalid('Value should be a range from the lower to the higher code')


def check_field(field, value):
    if value is None:
        if field.required:
            raise errors.InvalidInput(field.name, value, 'Mandatory field missing.')
        return None
    value = _check_kind(field, value)
    if field.choices and value not in field.choices:
        raise errors.InvalidInput(
            field.name, value, 'Value should be one of: %s'
            % ', '.join(str(c) for c in field.choices))
    return value


def unwrap(object_type, body):
    """The object inside {"<key>": {...}}, as Octavia requires."""
    if not isinstance(body, dict) or not isinstance(body.get(object_type.key), dict):
        raise errors.InvalidInput(object_type.key, body,
                                  'Mandatory field missing.')
    unknown = sorted(set(body) - {object_type.key})
    if unknown:
        raise errors.InvalidInput(object_type.key, body,
                                  'Unknown attribute for argument %s: %s'
                                  % (object_type.key, ', '.join(unknown)))
    return body[object_type.key]


def _reject_unknown(object_type, values, writable):
    unknown = sorted(set(values) - writable)
    if unknown:
        raise errors.InvalidInput(
            object_type.key, values, 'Unknown attribute for argument %s: %s'
            % (object_type.key, ', '.join(unknown)))


def for_create(object_type, values, extra_fields=()):
    """Validated values of a new object, with defaults for what was not given."""
    writable = {f.name for f in object_type.fields if f.access != model.READ_ONLY}
    _reject_unknown(object_type, values, writable | set(extra_fields))
    clean = {}
    for field in object_type.fields:
        if field.access == model.READ_ONLY:
            clean[field.name] = field.default_value()
            continue
        value = check_field(field, values.get(field.name))
        clean[field.name] = field.default_value() if value is None else value
    return clean


def for_update(object_type, values):
    """Validated changes; fields set only at create time are refused."""
    writable = {f.name for f in object_type.fields if f.access == model.WRITABLE}
    _reject_unknown(object_type, values, writable)
    fields = object_type.field_map
    clean = {}
    for name, value in values.items():
        field = fields[name]
        if value is None and not field.required:
            # Octavia: null resets a field to its default.
            clean[name] = field.default_value()
        else:
            clean[name] = check_field(field, value)
    return clean
