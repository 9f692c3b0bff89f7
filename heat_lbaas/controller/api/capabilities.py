"""What this controller's one provider, the amphora, serves: the part of Octavia's
vocabulary (heat_lbaas/octavia_vocabulary.py) its amphora driver can carry out.
Octavia accepts the rest; here it is refused with Octavia's
ProviderUnsupportedOptionError (501) naming what is served, as a real Octavia
provider that lacks a feature refuses it.

What the driver serves differs in one respect: UDP and SCTP, which Octavia serves
with keepalived's LVS virtual servers (the kernel's IPVS), not with HAProxy. Each
driver says whether it can (drivers.py builds its `Capabilities`): the noop driver
takes them, as Octavia's noop amphora driver takes everything; the haproxy driver
refuses them with the reason.

Declared once and checked last in every way of writing an object (api/base.py:
field schema, then the type's cross-field rules, then `check` here): single create
and update, batch member update and the fully populated load balancer create, which
validates each nested object with its collection.
"""
import dataclasses

from octavia_lib.common import constants as lib

from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.controller import errors

PROVIDER = 'amphora'

# HAProxy with OpenSSL 3 at its default security level completes no handshake older
# than TLS 1.2 (measured: an internal-error alert even with ssl-min-ver TLSv1.0), so
# allowing the older versions would be an option silently ignored: they are refused.
TLS_VERSIONS = ('TLSv1.2', 'TLSv1.3')


@dataclasses.dataclass(frozen=True)
class Served:
    """The values of one field the amphora serves (each item, for a list field)."""
    values: tuple
    label: str            # how the refusal names the field
    why: str = ''         # said before the served values, when not obvious


# By object type key (model.ObjectType.key); fields not named take every value
# Octavia accepts.
SERVED = {
    'listener': {
        # PROMETHEUS: HAProxy's own exporter (render.py); UDP and SCTP: LVS_SERVED.
        'protocol': Served((lib.PROTOCOL_HTTP, lib.PROTOCOL_HTTPS, lib.PROTOCOL_TCP,
                            lib.PROTOCOL_TERMINATED_HTTPS, lib.PROTOCOL_PROMETHEUS),
                           'protocol'),
        'tls_versions': Served(TLS_VERSIONS, 'TLS versions',
                               'its HAProxy and OpenSSL complete no older handshake'),
    },
    'pool': {
        'protocol': Served((lib.PROTOCOL_HTTP, lib.PROTOCOL_HTTPS, lib.PROTOCOL_TCP,
                            lib.PROTOCOL_PROXY, lib.PROTOCOL_PROXYV2), 'protocol'),
        'tls_versions': Served(TLS_VERSIONS, 'TLS versions',
                               'its HAProxy and OpenSSL complete no older handshake'),
    },
    'healthmonitor': {
        'type': Served((lib.HEALTH_MONITOR_HTTP, lib.HEALTH_MONITOR_HTTPS,
                        lib.HEALTH_MONITOR_PING, lib.HEALTH_MONITOR_TCP,
                        lib.HEALTH_MONITOR_TLS_HELLO), 'type'),
    },
    'rule': {
        # SSL_* rules need TLS client authentication on the listener, which this
        # controller does not offer.
        'type': Served((lib.L7RULE_TYPE_HOST_NAME, lib.L7RULE_TYPE_PATH,
                        lib.L7RULE_TYPE_FILE_TYPE, lib.L7RULE_TYPE_HEADER,
                        lib.L7RULE_TYPE_COOKIE), 'L7 rule type'),
    },
}

# What keepalived's LVS virtual servers serve, where the driver has them: the
# listener and pool protocols and the monitor types Octavia gives to LVS alone.
LVS_SERVED = {
    'listener': {'protocol': octavia.LVS_PROTOCOLS},
    'pool': {'protocol': octavia.LVS_PROTOCOLS},
    'healthmonitor': {'type': octavia.LVS_MONITOR_TYPES},
}

# Listener protocols whose traffic HAProxy reads as HTTP, so L7 rules can look into it.
L7_LISTENER_PROTOCOLS = (lib.PROTOCOL_HTTP, lib.PROTOCOL_TERMINATED_HTTPS)
# Headers the amphora inserts, per listener protocol.
INSERT_HEADERS = dict.fromkeys(octavia.INSERT_HEADERS_PROTOCOLS, octavia.FORWARDED_HEADERS)


@dataclasses.dataclass(frozen=True)
class Capabilities:
    """What one amphora driver serves."""
    # Why the driver does not serve UDP and SCTP; None if it does.
    lvs_refusal: str | None = None

    def served(self, key):
        """{field: Served} of the object type `key`: SERVED, with LVS_SERVED's
        values where the driver has LVS."""
        table = dict(SERVED.get(key, {}))
        if self.lvs_refusal is None:
            for name, values in LVS_SERVED.get(key, {}).items():
                table[name] = dataclasses.replace(table[name],
                                                  values=table[name].values + values)
        return table

    def check(self, object_type, values):
        """Refuse (501) what of `values` (checked by the field schema and the
        type's rules) the driver does not serve."""
        lvs = LVS_SERVED.get(object_type.key, {})
        for name, served in self.served(object_type.key).items():
            value = values.get(name)
            if value is None:
                continue
            if self.lvs_refusal is not None and value in lvs.get(name, ()):
                raise errors.ProviderUnsupported(
                    PROVIDER, '%s %s is not supported by this controller: %s.'
                    % (served.label, value, self.lvs_refusal))
            unserved = [v for v in value if v not in served.values] if isinstance(
                value, list) else ([value] if value not in served.values else [])
            if unserved:
                raise errors.ProviderUnsupported(
                    PROVIDER, '%s %s %s not supported by this controller (%ssupported: '
                    '%s).' % (served.label, ', '.join(unserved),
                              'are' if isinstance(value, list) else 'is',
                              served.why + '; ' if served.why else '',
                              ', '.join(served.values)))

    def served_values(self, object_type):
        """{field: values the driver serves} of `object_type` (a model.ObjectType)."""
        return {name: served.values
                for name, served in self.served(object_type.key).items()}


def check_l7_listener(protocol):
    """L7 policies only on listeners HAProxy reads as HTTP (Octavia's amphora
    driver refuses the others the same way)."""
    if protocol not in L7_LISTENER_PROTOCOLS:
        raise errors.ProviderUnsupported(
            PROVIDER, '%s protocol listeners do not support L7 policies' % protocol)

