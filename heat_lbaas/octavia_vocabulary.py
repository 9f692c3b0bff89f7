"""Octavia's vocabulary: the values and limits of its v2 API, each declared once.

The controller (which serves the API) and the resources (which call it) both import
this module. It imports only the standard library and octavia-lib (the library
Octavia's provider drivers share), never the controller, so the resources install and
work against a real Octavia without it. A new Octavia value is one edit here (and
tests/unit/test_octavia_vocabulary.py notices when octavia-lib gains one).

Values octavia-lib names are taken from it; what it lacks is declared here, with
where Octavia has it. Tuples are in the order Octavia lists them in its messages
("Value should be one of: ..."), which the controller repeats.

What Octavia accepts is not what every provider serves: the amphora provider's
subset is declared in heat_lbaas/controller/api/capabilities.py.
"""
from octavia_lib.common import constants as lib

# --- protocols and algorithms ------------------------------------------------------

LISTENER_PROTOCOLS = (lib.PROTOCOL_HTTP, lib.PROTOCOL_HTTPS, lib.PROTOCOL_TCP,
                      lib.PROTOCOL_TERMINATED_HTTPS, lib.PROTOCOL_UDP,
                      lib.PROTOCOL_SCTP, lib.PROTOCOL_PROMETHEUS)
POOL_PROTOCOLS = (lib.PROTOCOL_HTTP, lib.PROTOCOL_HTTPS, lib.PROTOCOL_PROXY,
                  lib.PROTOCOL_PROXYV2, lib.PROTOCOL_TCP, lib.PROTOCOL_UDP,
                  lib.PROTOCOL_SCTP)
TERMINATED_HTTPS = lib.PROTOCOL_TERMINATED_HTTPS
LB_ALGORITHMS = (lib.LB_ALGORITHM_ROUND_ROBIN, lib.LB_ALGORITHM_LEAST_CONNECTIONS,
                 lib.LB_ALGORITHM_SOURCE_IP_PORT, lib.LB_ALGORITHM_SOURCE_IP)
SESSION_PERSISTENCE_TYPES = (lib.SESSION_PERSISTENCE_SOURCE_IP,
                             lib.SESSION_PERSISTENCE_HTTP_COOKIE,
                             lib.SESSION_PERSISTENCE_APP_COOKIE)
# The one persistence type that names its cookie (cookie_name required, else refused).
APP_COOKIE = lib.SESSION_PERSISTENCE_APP_COOKIE
SOURCE_IP_PERSISTENCE = lib.SESSION_PERSISTENCE_SOURCE_IP
# The cookie types: HTTP only, so never on UDP or SCTP pools.
COOKIE_PERSISTENCE_TYPES = (lib.SESSION_PERSISTENCE_HTTP_COOKIE,
                            lib.SESSION_PERSISTENCE_APP_COOKIE)

# --- listeners ----------------------------------------------------------------------

# Octavia's MAX_TIMEOUT (24 days) for listener timeouts, in milliseconds; HAProxy's
# own limit is 2**31 - 1 ms. (Not in octavia-lib: octavia/common/constants.py.)
MAX_TIMEOUT_MS = 24 * 24 * 60 * 60 * 1000
CLIENT_AUTH_MODES = (lib.CLIENT_AUTH_NONE, lib.CLIENT_AUTH_OPTIONAL,
                     lib.CLIENT_AUTH_MANDATORY)
# Headers Octavia inserts into the HTTP it reads (HTTP and TERMINATED_HTTPS listeners).
# octavia-lib's SUPPORTED_HTTP_HEADERS also names X-Forwarded-IP, X-Client-IP and
# X-Real-IP, which no Octavia provider accepts; the amphora's are these three.
FORWARDED_HEADERS = ('X-Forwarded-For', 'X-Forwarded-Port', 'X-Forwarded-Proto')
# Headers about the client certificate (TERMINATED_HTTPS listeners).
SSL_CLIENT_HEADERS = tuple(lib.SUPPORTED_SSL_HEADERS)
INSERT_HEADERS_PROTOCOLS = (lib.PROTOCOL_HTTP, lib.PROTOCOL_TERMINATED_HTTPS)
# The transport protocol of each listener protocol (Octavia's L4_PROTOCOL_MAP): two
# listeners of a load balancer share a protocol_port only on different ones.
TRANSPORT_PROTOCOLS = {
    lib.PROTOCOL_TCP: lib.PROTOCOL_TCP, lib.PROTOCOL_HTTP: lib.PROTOCOL_TCP,
    lib.PROTOCOL_HTTPS: lib.PROTOCOL_TCP, lib.PROTOCOL_TERMINATED_HTTPS: lib.PROTOCOL_TCP,
    lib.PROTOCOL_PROXY: lib.PROTOCOL_TCP, lib.PROTOCOL_PROXYV2: lib.PROTOCOL_TCP,
    lib.PROTOCOL_PROMETHEUS: lib.PROTOCOL_TCP,
    lib.PROTOCOL_UDP: lib.PROTOCOL_UDP, lib.PROTOCOL_SCTP: lib.PROTOCOL_SCTP,
}
# The protocols Octavia serves with keepalived's LVS virtual servers instead of HAProxy
# (its LVS_PROTOCOLS), for listeners and pools alike; its messages join them with '/'.
LVS_PROTOCOLS = (lib.PROTOCOL_UDP, lib.PROTOCOL_SCTP)

# --- TLS (listeners and pools) --------------------------------------------------------

# Octavia's TLS_ALL_VERSIONS, oldest first (not in octavia-lib).
TLS_VERSIONS = ('SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3')
# Octavia's SUPPORTED_ALPN_PROTOCOLS, in its order.
ALPN_PROTOCOLS = (lib.ALPN_PROTOCOL_HTTP_2, lib.ALPN_PROTOCOL_HTTP_1_1,
                  lib.ALPN_PROTOCOL_HTTP_1_0)

# --- health monitors ----------------------------------------------------------------

HEALTH_MONITOR_TYPES = (lib.HEALTH_MONITOR_HTTP, lib.HEALTH_MONITOR_HTTPS,
                        lib.HEALTH_MONITOR_PING, lib.HEALTH_MONITOR_TCP,
                        lib.HEALTH_MONITOR_TLS_HELLO, lib.HEALTH_MONITOR_UDP_CONNECT,
                        lib.HEALTH_MONITOR_SCTP)
# The types that send an HTTP request (and so take http_method, url_path, ...).
HTTP_MONITOR_TYPES = (lib.HEALTH_MONITOR_HTTP, lib.HEALTH_MONITOR_HTTPS)
UDP_CONNECT = lib.HEALTH_MONITOR_UDP_CONNECT
# The monitor types only UDP and SCTP pools take, and every type such a pool takes
# (octavia/api/v2/controllers/health_monitor.py), in the order of Octavia's message.
LVS_MONITOR_TYPES = (lib.HEALTH_MONITOR_UDP_CONNECT, lib.HEALTH_MONITOR_SCTP)
LVS_POOL_MONITOR_TYPES = LVS_MONITOR_TYPES + (lib.HEALTH_MONITOR_TCP,
                                              lib.HEALTH_MONITOR_HTTP)
# Alphabetical, as Octavia lists them.
HTTP_METHODS = tuple(sorted(lib.SUPPORTED_HEALTH_MONITOR_HTTP_METHODS))
HTTP_VERSIONS = (1.0, 1.1)
# A host name: labels of letters, digits and inner hyphens, 253 characters at most (as
# strict as Octavia's DOMAIN_NAME_REGEX or stricter: nothing that could end or extend
# the HAProxy directive it is written into).
DOMAIN_NAME_PATTERN = (r'(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*'
                       r'[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?')

# --- L7 policies and rules ----------------------------------------------------------

L7POLICY_ACTIONS = (lib.L7POLICY_ACTION_REJECT, lib.L7POLICY_ACTION_REDIRECT_TO_POOL,
                    lib.L7POLICY_ACTION_REDIRECT_TO_URL,
                    lib.L7POLICY_ACTION_REDIRECT_PREFIX)
# The actions that answer with an HTTP redirect (and so take redirect_http_code).
HTTP_REDIRECT_ACTIONS = (lib.L7POLICY_ACTION_REDIRECT_TO_URL,
                         lib.L7POLICY_ACTION_REDIRECT_PREFIX)
# Octavia's SUPPORTED_L7POLICY_REDIRECT_HTTP_CODES (not in octavia-lib).
REDIRECT_HTTP_CODES = (301, 302, 303, 307, 308)
# Octavia's MAX_POLICY_POSITION (not in octavia-lib).
MAX_L7POLICY_POSITION = 2147483647

L7RULE_TYPES = lib.SUPPORTED_L7RULE_TYPES
L7RULE_COMPARE_TYPES = lib.SUPPORTED_L7RULE_COMPARE_TYPES
# The rule types that name what they compare (a header, cookie or DN field) in `key`.
RULE_TYPES_WITH_KEY = (lib.L7RULE_TYPE_HEADER, lib.L7RULE_TYPE_COOKIE,
                       lib.L7RULE_TYPE_SSL_DN_FIELD)
# The compare types each rule type allows (octavia/common/validate.py l7rule_data).
_EQUAL_TO = (lib.L7RULE_COMPARE_TYPE_EQUAL_TO,)
COMPARE_TYPES_BY_RULE_TYPE = {
    lib.L7RULE_TYPE_HOST_NAME: L7RULE_COMPARE_TYPES,
    lib.L7RULE_TYPE_PATH: L7RULE_COMPARE_TYPES,
    lib.L7RULE_TYPE_HEADER: L7RULE_COMPARE_TYPES,
    lib.L7RULE_TYPE_COOKIE: L7RULE_COMPARE_TYPES,
    lib.L7RULE_TYPE_FILE_TYPE: (lib.L7RULE_COMPARE_TYPE_REGEX,
                                lib.L7RULE_COMPARE_TYPE_EQUAL_TO),
    lib.L7RULE_TYPE_SSL_CONN_HAS_CERT: _EQUAL_TO,
    lib.L7RULE_TYPE_SSL_VERIFY_RESULT: _EQUAL_TO,
    lib.L7RULE_TYPE_SSL_DN_FIELD: L7RULE_COMPARE_TYPES,
}
SSL_DN_FIELD = lib.L7RULE_TYPE_SSL_DN_FIELD
# The distinguished name fields an SSL_DN_FIELD rule may name (Octavia's
# DISTINGUISHED_NAME_FIELD_REGEX choices; octavia-lib has only a looser pattern).
SSL_DN_FIELDS = ('C', 'ST', 'L', 'O', 'OU', 'CN', 'UID', 'DC', 'EMAILADDRESS',
                 'SERIALNUMBER', 'T', 'GIVENNAME', 'SN', 'INITIALS', 'PSEUDONYM',
                 'GENERATIONQUALIFIER', 'DNQUALIFIER')

# --- statistics -------------------------------------------------------------------

# The counters of GET .../stats, in Octavia's response order.
STATS_KEYS = (lib.BYTES_IN, lib.BYTES_OUT, lib.ACTIVE_CONNECTIONS,
              lib.TOTAL_CONNECTIONS, lib.REQUEST_ERRORS)


# --- members ------------------------------------------------------------------------

def member_identity(member):
    """What identifies a member within its pool, as Octavia's batch member update
    matches members: (address, protocol_port)."""
    return (member['address'], member['protocol_port'])


def member_identity_text(identity):
    """`identity` as text ("address:port"), for messages and attribute keys."""
    return '%s:%s' % tuple(identity)
