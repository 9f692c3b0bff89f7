"""Hypothesis strategies for request values, derived from a field's declaration in
controller/model.py: values the declaration allows and values just outside it.

Near-valid values are a valid value with a hostile tail: a separator no rendered
field accepts (white space, line breaks, quotes, '#', NUL, non-ASCII) followed by
MARK. MARK must then never appear in a configuration: a value is either refused or
rendered whole, and no rendered field may contain those separators.
"""
import ipaddress

from hypothesis import strategies as st

from heat_lbaas import octavia_vocabulary
from heat_lbaas.controller import model

MARK = 'INJECTED'
SEPARATORS = (' ', '\n', '\r\n', '\t', '"', "'", '#', '\x00', '\u00e9', '\u2028',
              '\n    stats socket /tmp/x ')


def _with_mark(valid):
    return st.builds(lambda value, separator: '%s%s%s' % (value, separator, MARK),
                     valid, st.sampled_from(SEPARATORS))


def _integers(field):
    low = -2 ** 63 if field.minimum is None else field.minimum
    high = 2 ** 63 if field.maximum is None else field.maximum
    return st.one_of(
        st.integers(low, high),
        st.sampled_from([low, high, low - 1, high + 1, 2 ** 64]),
        st.integers(low, min(high, low + 100)).map(str),   # Octavia takes numeric strings
        st.just('1 ' + MARK), st.just('\u0661\u0662'), st.just(1.5))


def _addresses():
    v4 = st.ip_addresses(v=4)
    v6 = st.ip_addresses(v=6)
    return st.one_of(
        # Rendered normalised, whatever way they are written.
        v4.map(str), v6.map(str), v6.map(lambda a: a.exploded),
        v6.map(lambda a: a.exploded.upper()),
        _with_mark(v4.map(str)), st.just('fe80::1%eth0 check inter 1'),
        st.just('127.0.0.010'), st.just('127.0.0.1/32'), st.just(''))


def _cidr(address, prefix):
    return '%s/%d' % (address, prefix % (address.max_prefixlen + 2))


def _cidrs():
    one = st.builds(_cidr, st.ip_addresses(), st.integers(0, 130))
    return st.one_of(
        st.lists(one, max_size=4),
        st.lists(one, min_size=60, max_size=120),                  # beyond one line
        st.lists(st.one_of(one, _with_mark(one)), min_size=1, max_size=3))


def _strings(field):
    if field.choices:
        return st.one_of(st.sampled_from(field.choices),
                         st.sampled_from(field.choices).map(str.lower),
                         _with_mark(st.sampled_from(field.choices).map(str)))
    if field.pattern:
        valid = st.from_regex(field.pattern, fullmatch=True).filter(
            lambda v: len(v) <= field.max_length)
        extra = st.sampled_from(['200-100', '599-100']) if (
            field.kind == model.STATUS_CODES) else st.nothing()
        return st.one_of(valid, _with_mark(valid), extra)
    printable = st.text(st.characters(min_codepoint=33, max_codepoint=126),
                        min_size=1, max_size=40)
    return st.one_of(printable, _with_mark(printable),
                     st.text(max_size=20), st.just('x' * (field.max_length + 1)))


def _urls():
    host = st.from_regex(octavia_vocabulary.DOMAIN_NAME_PATTERN, fullmatch=True)
    path = st.from_regex(model.URL_PATH_PATTERN, fullmatch=True)
    valid = st.builds('{}://{}{}'.format, st.sampled_from(['http', 'https', 'ftp']),
                      host, path)
    return st.one_of(valid, _with_mark(valid))


# Fields whose shape api/l7_validation.py checks rather than their declaration.
SHAPES = {'redirect_url': _urls, 'redirect_prefix': _urls}


def values(field):
    """Values for `field`, valid and just outside its declaration."""
    kind = field.kind
    if field.name in SHAPES:
        return SHAPES[field.name]()
    if kind == model.INTEGER:
        if field.choices:
            return st.one_of(st.sampled_from(field.choices), st.integers(-1, 1000))
        return _integers(field)
    if kind == model.FLOAT:
        return st.one_of(st.sampled_from(field.choices or (1.0,)),
                         st.floats(allow_nan=False), st.just('1.1'))
    if kind == model.BOOLEAN:
        return st.one_of(st.booleans(), st.sampled_from(['true', 'False', 'yes', 0]))
    if kind == model.UUID:
        return st.one_of(st.uuids().map(str), _with_mark(st.uuids().map(str)))
    if kind == model.IP:
        return _addresses()
    if kind == model.CIDR_LIST:
        return _cidrs()
    if kind == model.STRING_LIST:
        return st.lists(_strings(model.Field(field.name)), max_size=3)
    if kind == model.DICT:
        return st.dictionaries(_strings(model.Field('key')),
                               st.one_of(st.sampled_from(['true', 'false']),
                                         _strings(model.Field('value'))), max_size=2)
    return _strings(field)


def normalised_address(value):
    return str(ipaddress.ip_address(value))
