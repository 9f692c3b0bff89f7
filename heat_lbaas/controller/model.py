"""One declaration per Octavia object type.

Each `ObjectType` lists its fields once; that list drives request validation and
defaults (api/validation.py), the stored columns (db/store.py) and the JSON shape of
responses (api/views.py). Adding a field is a one-line change here.

Each type also names its parent (the object it lives under, whose id its
`<parent key>_id` column holds), and a field naming another object across the tree
says which (`refers_to`). Everything that walks the tree (locks, cascades, views,
the tree loader) derives from these, through graph.py.
"""
import dataclasses
import ipaddress
import re
from typing import Any

from heat_lbaas import octavia_vocabulary as octavia

# Field kinds. IP values are stored and shown as given (as Octavia's), normalised
# where compared and rendered; CIDR_LIST values are stored normalised (Octavia's
# CidrType); STATUS_CODES are HTTP status codes: one, a list or a low-high range.
STRING, INTEGER, FLOAT, BOOLEAN, UUID, IP, STRING_LIST, DICT, CIDR_LIST, STATUS_CODES = (
    'string', 'integer', 'float', 'boolean', 'uuid', 'ip', 'string_list', 'dict',
    'cidr_list', 'status_codes')

# Where a field may be written.
READ_ONLY, CREATE_ONLY, WRITABLE = 'read_only', 'create_only', 'writable'

# Patterns for values that reach the HAProxy configuration (as strict as Octavia's or
# stricter). None admits white space, quotes, backslashes, '$' or '#', so nothing a
# user sends can add or change configuration.
URL_PATH_PATTERN = r"/[A-Za-z0-9\-._~%!&()*+,;=:@/]*(\?[A-Za-z0-9\-._~%!&()*+,;=:@/?]*)?"
EXPECTED_CODES_PATTERN = r'[0-9]{3}(-[0-9]{3}|(,[0-9]{3})*)'
COOKIE_NAME_PATTERN = r'[A-Za-z0-9_\-.]{1,255}'
# Octavia's expected_codes when a monitor has none.
DEFAULT_EXPECTED_CODES = '200'

# Health monitor delay and timeout are rendered in seconds: the largest that stays
# under HAProxy's timer limit (Octavia sets no maximum).
MAX_MONITOR_SECONDS = (2 ** 31 - 1) // 1000
# HAProxy reads maxconn as a C int (larger values wrap around without an error).
MAX_CONNECTION_LIMIT = 2 ** 31 - 1


def expected_status_codes(codes):
    """The HTTP status codes (ints) an expected_codes value names: '200',
    '200,202' or '200-204' (EXPECTED_CODES_PATTERN); None is Octavia's default."""
    codes = codes or DEFAULT_EXPECTED_CODES
    if '-' in codes:
        low, high = (int(code) for code in codes.split('-'))
        return tuple(range(low, high + 1))
    return tuple(int(code) for code in codes.split(','))


@dataclasses.dataclass(frozen=True)
class Field:
    name: str
    kind: str = STRING
    access: str = WRITABLE
    default: Any = None
    required: bool = False
    choices: tuple = ()
    minimum: int | None = None
    maximum: int | None = None
    max_length: int = 255
    # Most items a list may hold, where what it renders must fit one HAProxy line.
    max_items: int | None = None
    # A regular expression the whole value must match, for strings that end up in
    # the HAProxy configuration (paths, status codes, host names, cookie names).
    pattern: str | None = None
    # Shown in responses? Parent ids given at create time (loadbalancer_id of a
    # listener, pool_id of a member) are stored but shown as relations instead.
    visible: bool = True
    # Left out of responses while null, as Octavia (WSME) leaves out unset attributes:
    # a pool without a health monitor has no healthmonitor_id key at all.
    omitted_if_null: bool = False
    # The only listener protocols on which the field may be set (empty: any), as
    # Octavia's TLS termination options (checked by api/listener_options.py).
    listener_protocols: tuple = ()
    # The collection of the object this field names, for ids that point across the
    # tree (a listener's default_pool_id), not at the parent: a reference that is
    # cleared when that object goes.
    refers_to: str | None = None

    def default_value(self):
        # Lists and dicts are copied so objects never share one mutable default.
        if isinstance(self.default, (list, dict)):
            return type(self.default)(self.default)
        return self.default


# Octavia has no description on members and health monitors (their API refuses the
# attribute). The column stays, as schema 0001 created it, but nothing reads or writes it.
HIDDEN_DESCRIPTION = Field('description', access=READ_ONLY, visible=False)


def _provisioned(*fields):
    """`fields` between what every provisioned object has, in Octavia's order."""
    return (
        Field('provisioning_status', access=READ_ONLY),
        Field('operating_status', access=READ_ONLY),
        Field('admin_state_up', BOOLEAN, default=True),
        Field('project_id', access=CREATE_ONLY),
        *fields,
        Field('tags', STRING_LIST, default=[]),
        Field('created_at', access=READ_ONLY),
        Field('updated_at', access=READ_ONLY),
    )


def _common(*fields, description=Field('description', default='')):
    """Fields of a named provisioned object, in Octavia's response order."""
    return (Field('id', UUID, READ_ONLY), Field('name', default=''), description,
            *_provisioned(*fields))


# eq=False: object types are compared and hashed by identity (they are singletons).
@dataclasses.dataclass(frozen=True, eq=False)
class ObjectType:
    key: str            # JSON key of one object: "loadbalancer"
    collection: str     # JSON key and path of a list: "loadbalancers"
    title: str          # as Octavia names it in messages: "Load Balancer"
    fields: tuple
    # Relations shown in responses, computed by api/views.py (graph.py says what
    # each one is: the parent, children, or the listeners using the object).
    relations: tuple = ()
    # The object type this one lives under (None for the load balancer, the root).
    parent: 'ObjectType | None' = dataclasses.field(default=None, repr=False)

    @property
    def field_map(self):
        return {f.name: f for f in self.fields}

    @property
    def parent_field(self):
        """The column holding the parent's id: loadbalancer_id, pool_id, ..."""
        return None if self.parent is None else self.parent.key + '_id'


LOADBALANCER = ObjectType(
    'loadbalancer', 'loadbalancers', 'Load Balancer',
    _common(
        Field('vip_address', IP, CREATE_ONLY),
        Field('vip_port_id', UUID, CREATE_ONLY),
        Field('vip_subnet_id', UUID, CREATE_ONLY),
        Field('vip_network_id', UUID, CREATE_ONLY),
        Field('vip_sg_ids', STRING_LIST, READ_ONLY, default=[]),
        Field('additional_vips', STRING_LIST, READ_ONLY, default=[]),
        Field('provider', access=CREATE_ONLY, default='amphora'),
        Field('flavor_id', UUID, CREATE_ONLY),
        Field('vip_qos_policy_id', UUID),
        Field('availability_zone', access=CREATE_ONLY),
        Field('vip_vnic_type', access=READ_ONLY, default='normal'),
    ),
    relations=('listeners', 'pools'))

# The listener protocol that terminates TLS: certificates and HSTS only there.
TLS_TERMINATING = (octavia.TERMINATED_HTTPS,)

LISTENER = ObjectType(
    'listener', 'listeners', 'Listener',
    _common(
        Field('loadbalancer_id', UUID, CREATE_ONLY, required=True, visible=False),
        Field('protocol', access=CREATE_ONLY, required=True,
              choices=octavia.LISTENER_PROTOCOLS),
        Field('protocol_port', INTEGER, CREATE_ONLY, required=True,
              minimum=1, maximum=65535),
        Field('connection_limit', INTEGER, default=-1, minimum=-1,
              maximum=MAX_CONNECTION_LIMIT),
        Field('default_tls_container_ref', max_length=255,
              listener_protocols=TLS_TERMINATING),
        # Each one is two words (`crt <path>`) on the bind line, which HAProxy cuts
        # at 64 words; the bind address and the other TLS options take up to 19
        # (tests/functional/test_tls_options.py renders the longest line).
        Field('sni_container_refs', STRING_LIST, default=[], max_items=20,
              listener_protocols=TLS_TERMINATING),
        Field('default_pool_id', UUID, refers_to='pools'),
        Field('insert_headers', DICT, default={}),
        Field('timeout_client_data', INTEGER, default=50000, minimum=0,
              maximum=octavia.MAX_TIMEOUT_MS),
        Field('timeout_member_connect', INTEGER, default=5000, minimum=0,
              maximum=octavia.MAX_TIMEOUT_MS),
        Field('timeout_member_data', INTEGER, default=50000, minimum=0,
              maximum=octavia.MAX_TIMEOUT_MS),
        Field('timeout_tcp_inspect', INTEGER, default=0, minimum=0,
              maximum=octavia.MAX_TIMEOUT_MS),
        Field('client_ca_tls_container_ref', listener_protocols=TLS_TERMINATING),
        Field('client_authentication', default='NONE',
              choices=octavia.CLIENT_AUTH_MODES),
        Field('client_crl_container_ref'),
        Field('allowed_cidrs', CIDR_LIST),
        Field('tls_ciphers', max_length=2048),
        Field('tls_versions', STRING_LIST),
        Field('alpn_protocols', STRING_LIST),
        Field('hsts_max_age', INTEGER, minimum=0, listener_protocols=TLS_TERMINATING),
        Field('hsts_include_subdomains', BOOLEAN, default=False),
        Field('hsts_preload', BOOLEAN, default=False),
    ),
    relations=('loadbalancers', 'l7policies'),
    parent=LOADBALANCER)

POOL = ObjectType(
    'pool', 'pools', 'Pool',
    _common(
        Field('loadbalancer_id', UUID, CREATE_ONLY, visible=False),
        Field('listener_id', UUID, CREATE_ONLY, visible=False),
        Field('protocol', access=CREATE_ONLY, required=True,
              choices=octavia.POOL_PROTOCOLS),
        Field('lb_algorithm', required=True, choices=octavia.LB_ALGORITHMS),
        Field('session_persistence', DICT),
        Field('healthmonitor_id', UUID, READ_ONLY, omitted_if_null=True,
              refers_to='healthmonitors'),
        Field('tls_container_ref'),
        Field('ca_tls_container_ref'),
        Field('crl_container_ref'),
        Field('tls_enabled', BOOLEAN, default=False),
        Field('tls_ciphers', max_length=2048),
        Field('tls_versions', STRING_LIST),
        Field('alpn_protocols', STRING_LIST),
    ),
    relations=('loadbalancers', 'listeners', 'members'),
    parent=LOADBALANCER)

MEMBER = ObjectType(
    'member', 'members', 'Member',
    _common(
        Field('pool_id', UUID, READ_ONLY, visible=False),
        Field('address', IP, CREATE_ONLY, required=True),
        Field('protocol_port', INTEGER, CREATE_ONLY, required=True,
              minimum=1, maximum=65535),
        Field('weight', INTEGER, default=1, minimum=0, maximum=256),
        Field('backup', BOOLEAN, default=False),
        Field('subnet_id', UUID, CREATE_ONLY),
        Field('monitor_address', IP),
        Field('monitor_port', INTEGER, minimum=1, maximum=65535),
        Field('vnic_type', access=READ_ONLY, default='normal'),
        description=HIDDEN_DESCRIPTION,
    ),
    parent=POOL)

HEALTH_MONITOR = ObjectType(
    'healthmonitor', 'healthmonitors', 'Health Monitor',
    _common(
        Field('pool_id', UUID, CREATE_ONLY, required=True, visible=False),
        Field('type', access=CREATE_ONLY, required=True,
              choices=octavia.HEALTH_MONITOR_TYPES),
        Field('delay', INTEGER, required=True, minimum=0,
              maximum=MAX_MONITOR_SECONDS),
        Field('timeout', INTEGER, required=True, minimum=0,
              maximum=MAX_MONITOR_SECONDS),
        Field('max_retries', INTEGER, required=True, minimum=1, maximum=10),
        Field('max_retries_down', INTEGER, default=3, minimum=1, maximum=10),
        Field('http_method', choices=octavia.HTTP_METHODS),
        Field('url_path', pattern=URL_PATH_PATTERN),
        Field('expected_codes', STATUS_CODES, pattern=EXPECTED_CODES_PATTERN),
        Field('http_version', FLOAT, choices=octavia.HTTP_VERSIONS),
        Field('domain_name', pattern=octavia.DOMAIN_NAME_PATTERN),
        description=HIDDEN_DESCRIPTION,
    ),
    relations=('pools',),
    parent=POOL)

L7POLICY = ObjectType(
    'l7policy', 'l7policies', 'L7 Policy',
    _common(
        Field('action', required=True, choices=octavia.L7POLICY_ACTIONS),
        Field('listener_id', UUID, CREATE_ONLY, required=True),
        Field('redirect_pool_id', UUID, refers_to='pools'),
        # Checked as http(s) URLs by api/l7_validation.py before they reach HAProxy.
        Field('redirect_url'),
        Field('redirect_prefix'),
        # None on create: append after the listener's last policy.
        Field('position', INTEGER, minimum=1, maximum=octavia.MAX_L7POLICY_POSITION),
        Field('redirect_http_code', INTEGER, choices=octavia.REDIRECT_HTTP_CODES),
    ),
    relations=('rules',),
    parent=LISTENER)

# Rules have neither name nor description in Octavia; `key` and `value` are checked
# (character set per type and compare type) by api/l7_validation.py.
L7RULE = ObjectType(
    'rule', 'rules', 'L7 Rule',
    (
        Field('id', UUID, READ_ONLY),
        *_provisioned(
            Field('l7policy_id', UUID, READ_ONLY, visible=False),
            Field('type', required=True, choices=octavia.L7RULE_TYPES),
            Field('compare_type', required=True, choices=octavia.L7RULE_COMPARE_TYPES),
            Field('key'),
            Field('value', required=True),
            Field('invert', BOOLEAN, default=False),
        ),
    ),
    parent=L7POLICY)

OBJECT_TYPES = (LOADBALANCER, LISTENER, POOL, MEMBER, HEALTH_MONITOR, L7POLICY, L7RULE)
BY_COLLECTION = {t.collection: t for t in OBJECT_TYPES}


def matches(pattern, value):
    return isinstance(value, str) and re.fullmatch(pattern, value) is not None


def normalised_address(address):
    """One text per IP address ('2001:DB8:0::1' -> '2001:db8::1'), wherever addresses
    are compared or rendered: IP fields keep the text the user gave, as Octavia's."""
    return str(ipaddress.ip_address(address))


def member_address_port(member):
    """The backend a member sends to, for refusing a second member on it in one
    pool (Octavia's DuplicateMemberEntry): its address normalised, and its port.
    Octavia's batch update matches members by the address as given instead
    (octavia_vocabulary.member_identity)."""
    return normalised_address(member['address']), member['protocol_port']
