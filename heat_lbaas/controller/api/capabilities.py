"""What this controller's one provider, the amphora, serves: the part of Octavia's
vocabulary (heat_lbaas/octavia_vocabulary.py) its amphora driver can carry out.
Octavia accepts the rest; here it is refused with Octavia's
ProviderUnsupportedOptionError (501) naming what is served, as a real Octavia
provider that lacks a feature refuses it.

What the driver serves differs in one respect: UDP and SCTP, which Octavia serves
with keepalived's LVS virtual servers (the kernel's IPVS), not with HAProxy. Each
driver says, per protocol, whether it can (drivers.py builds its `Capabilities`):
the noop driver takes them, as Octavia's noop amphora driver takes everything; the
haproxy driver serves UDP with nftables in namespace mode (amphora/udp_dataplane.py)
and refuses the rest with the reason. What nftables cannot do of UDP
(LEAST_CONNECTIONS, a connection_limit, an ACTIVE_STANDBY pair) is refused too.

Declared once and checked last in every way of writing an object (api/base.py:
field schema, then the type's cross-field rules, then `check` here): single create
and update, batch member update and the fully populated load balancer create, which
validates each nested object with its collection.
"""
import dataclasses

from octavia_lib.common import constants as lib

from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.controller import errors
from heat_lbaas.controller.db import topologies

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

# What serving each of the protocols Octavia gives to LVS brings, where the driver
# serves it: the listener and pool protocol and the monitor type of its own.
LVS_SERVED = {
    lib.PROTOCOL_UDP: {'listener': {'protocol': (lib.PROTOCOL_UDP,)},
                       'pool': {'protocol': (lib.PROTOCOL_UDP,)},
                       'healthmonitor': {'type': (lib.HEALTH_MONITOR_UDP_CONNECT,)}},
    lib.PROTOCOL_SCTP: {'listener': {'protocol': (lib.PROTOCOL_SCTP,)},
                        'pool': {'protocol': (lib.PROTOCOL_SCTP,)},
                        'healthmonitor': {'type': (lib.HEALTH_MONITOR_SCTP,)}},
}
# Of the algorithms, what nftables can choose members by (amphora/nft_render.py).
NFT_ALGORITHMS = (lib.LB_ALGORITHM_ROUND_ROBIN, lib.LB_ALGORITHM_SOURCE_IP,
                  lib.LB_ALGORITHM_SOURCE_IP_PORT)

# Listener protocols whose traffic HAProxy reads as HTTP, so L7 rules can look into it.
L7_LISTENER_PROTOCOLS = (lib.PROTOCOL_HTTP, lib.PROTOCOL_TERMINATED_HTTPS)
# Headers the amphora inserts, per listener protocol.
INSERT_HEADERS = dict.fromkeys(octavia.INSERT_HEADERS_PROTOCOLS, octavia.FORWARDED_HEADERS)


@dataclasses.dataclass(frozen=True)
class Capabilities:
    """What one amphora driver serves."""
    # {'UDP' or 'SCTP': why the driver does not serve it}; absent or None: served.
    lvs_refusals: dict = dataclasses.field(default_factory=dict)
    # UDP is served by nftables (the haproxy driver), with what it cannot do refused.
    udp_by_nftables: bool = False

    def _lvs_served(self, protocol):
        return self.lvs_refusals.get(protocol) is None

    def served(self, key):
        """{field: Served} of the object type `key`: SERVED, with LVS_SERVED's
        values of each protocol the driver serves."""
        table = dict(SERVED.get(key, {}))
        for protocol, fields in LVS_SERVED.items():
            if not self._lvs_served(protocol):
                continue
            for name, values in fields.get(key, {}).items():
                table[name] = dataclasses.replace(table[name],
                                                  values=table[name].values + values)
        return table

    def _refuse_lvs(self, key, name, value, label):
        for protocol, fields in LVS_SERVED.items():
            if not self._lvs_served(protocol) and value in fields.get(key, {}).get(
                    name, ()):
                raise errors.ProviderUnsupported(
                    PROVIDER, '%s %s is not supported by this controller: %s.'
                    % (label, value, self.lvs_refusals[protocol]))

    def check(self, object_type, values, current=None):
        """Refuse (501) what of `values` (checked by the field schema and the
        type's rules; on update, the changes to the row `current`) the driver does
        not serve."""
        for name, served in self.served(object_type.key).items():
            value = values.get(name)
            if value is None:
                continue
            self._refuse_lvs(object_type.key, name, value, served.label)
            unserved = [v for v in value if v not in served.values] if isinstance(
                value, list) else ([value] if value not in served.values else [])
            if unserved:
                raise errors.ProviderUnsupported(
                    PROVIDER, '%s %s %s not supported by this controller (%ssupported: '
                    '%s).' % (served.label, ', '.join(unserved),
                              'are' if isinstance(value, list) else 'is',
                              served.why + '; ' if served.why else '',
                              ', '.join(served.values)))
        if self.udp_by_nftables:
            self._check_nft_udp(object_type.key, dict(current or {}, **values))

    def _check_nft_udp(self, key, row):
        """What nftables cannot do of a UDP listener or pool (`row`: the object as
        it would be)."""
        if row.get('protocol') != lib.PROTOCOL_UDP:
            return
        if key == 'pool' and row.get('lb_algorithm') not in NFT_ALGORITHMS:
            raise errors.ProviderUnsupported(
                PROVIDER, 'lb_algorithm %s is not supported by this controller for UDP '
                'pools: nftables, which serves them, keeps no count of flows per member '
                '(supported: %s).' % (row.get('lb_algorithm'), ', '.join(NFT_ALGORITHMS)))
        limit = row.get('connection_limit')
        if key == 'listener' and limit is not None and limit > 0:
            raise errors.ProviderUnsupported(
                PROVIDER, 'connection_limit %s is not supported by this controller for '
                'UDP listeners: nftables, which serves them, cannot count their flows '
                'per listener.' % limit)

    def check_topology(self, protocol, topology):
        """The UDP data plane runs in a SINGLE amphora's namespace only."""
        if self.udp_by_nftables and protocol == lib.PROTOCOL_UDP and \
                topology != topologies.SINGLE:
            raise errors.ProviderUnsupported(
                PROVIDER, 'protocol UDP is not supported by this controller on %s load '
                'balancers: its nftables UDP data plane serves SINGLE ones only.'
                % topology)

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

