"""What this controller's one provider, the amphora (an HAProxy process per load
balancer), serves: the part of Octavia's vocabulary (heat_lbaas/octavia_vocabulary.py)
it can carry out. Octavia accepts the rest; here it is refused with a
ProviderUnsupported error naming what is served, as a real Octavia provider that
lacks a feature refuses it.

Declared once and read by every way of writing an object: single create and update
(api/base.py), batch member update (through the members' create validation) and the
fully populated load balancer create (api/loadbalancer_graph.py, which validates each
nested object with its collection).
"""
from octavia_lib.common import constants as lib

from heat_lbaas import octavia_vocabulary as octavia

PROVIDER = 'amphora'

# Values of a field the amphora serves, by object type key (model.ObjectType.key);
# fields not named here take every value Octavia accepts.
SERVED_VALUES = {
    # No UDP or SCTP (HAProxy balances neither), no PROMETHEUS endpoint.
    'listener': {'protocol': (lib.PROTOCOL_HTTP, lib.PROTOCOL_HTTPS, lib.PROTOCOL_TCP,
                              lib.PROTOCOL_TERMINATED_HTTPS)},
    'pool': {'protocol': (lib.PROTOCOL_HTTP, lib.PROTOCOL_HTTPS, lib.PROTOCOL_TCP,
                          lib.PROTOCOL_PROXY, lib.PROTOCOL_PROXYV2)},
    'healthmonitor': {'type': (lib.HEALTH_MONITOR_HTTP, lib.HEALTH_MONITOR_HTTPS,
                               lib.HEALTH_MONITOR_PING, lib.HEALTH_MONITOR_TCP,
                               lib.HEALTH_MONITOR_TLS_HELLO)},
}

# SSL_* rules need TLS client authentication on the listener, which this controller
# does not offer. (Checked by api/l7_validation.py, with its own message.)
L7RULE_TYPES = (lib.L7RULE_TYPE_HOST_NAME, lib.L7RULE_TYPE_PATH,
                lib.L7RULE_TYPE_FILE_TYPE, lib.L7RULE_TYPE_HEADER,
                lib.L7RULE_TYPE_COOKIE)
# Listener protocols whose traffic HAProxy reads as HTTP, so L7 rules can look into it.
L7_LISTENER_PROTOCOLS = (lib.PROTOCOL_HTTP, lib.PROTOCOL_TERMINATED_HTTPS)
# HAProxy with OpenSSL 3 at its default security level completes no handshake older
# than TLS 1.2 (measured: an internal-error alert even with ssl-min-ver TLSv1.0), so
# allowing the older versions would be an option silently ignored: they are refused.
TLS_VERSIONS = ('TLSv1.2', 'TLSv1.3')
# Headers the amphora inserts, per listener protocol.
INSERT_HEADERS = dict.fromkeys(octavia.INSERT_HEADERS_PROTOCOLS, octavia.FORWARDED_HEADERS)


def served_values(object_type):
    """{field: values the amphora serves} of `object_type` (a model.ObjectType)."""
    return SERVED_VALUES.get(object_type.key, {})
