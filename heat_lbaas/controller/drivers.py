"""The one place that chooses what serves the load balancers: [controller]
amphora_driver picks the amphora driver together with the VIP network, the
certificate store and the rules of operating statuses that go with it."""
import dataclasses
import typing

from heat_lbaas.controller import vip_networks
from heat_lbaas.controller import certificates
from heat_lbaas.controller.api import capabilities
from heat_lbaas.controller.amphora import driver_base
from heat_lbaas.controller.amphora import active_standby
from heat_lbaas.controller.amphora import haproxy_process
from heat_lbaas.controller.amphora import keepalived_render
from heat_lbaas.controller.amphora import netns
from heat_lbaas.controller.amphora import noop_certificates
from heat_lbaas.controller.amphora import noop_driver
from heat_lbaas.controller.amphora import per_topology
from heat_lbaas.controller.amphora import udp_dataplane
from heat_lbaas.controller.api import profile_options
from heat_lbaas.controller.health import noop_statuses
from heat_lbaas.controller.health import rollup


@dataclasses.dataclass(frozen=True)
class Drivers:
    amphora: driver_base.AmphoraDriver
    network: typing.Any             # vip_networks.*: place(values, store)
    certificates: typing.Any        # load(ref, kind), read(ref)
    # operating_statuses(store, changed tree): after the worker finished a change.
    operating_statuses: typing.Callable
    # Whether amphorae report health (HAProxy's checks) and can die (failover).
    polls_health: bool
    # What the driver serves of what Octavia accepts (501 for the rest).
    capabilities: capabilities.Capabilities
    # What it carries out of flavor and availability zone profiles (None: all).
    served_profile_data: typing.Any
    # amphora/udp_dataplane.UdpDataplane where UDP listeners are served, else None.
    udp: typing.Any = None


def namespace_topology(conf):
    """The amphorae's namespace topology, or None with amphora_network = loopback."""
    if conf.controller.amphora_network != 'namespace':
        return None
    return netns.NamespaceTopology(conf.controller.state_dir,
                                   conf.controller.namespace_cidr,
                                   conf.controller.namespace_bridge,
                                   conf.controller.namespace_prefix)


def haproxy_driver(conf, topology=None):
    return haproxy_process.HaproxyProcessDriver(conf.controller.state_dir,
                                                conf.controller.haproxy_binary,
                                                topology=topology)


def amphora_driver(conf, topology=None):
    """The haproxy driver; with namespaces, ACTIVE_STANDBY load balancers beside it."""
    single = haproxy_driver(conf, topology)
    if topology is None:
        return single
    return per_topology.PerTopologyDriver(single, active_standby.ActiveStandbyDriver(
        conf.controller.state_dir, topology, keepalived_render.VrrpTiming.from_conf(conf),
        conf.controller.haproxy_binary, conf.keepalived_vrrp.keepalived_binary))


def _haproxy(conf):
    topology = namespace_topology(conf)
    if topology is None:
        network = vip_networks.LoopbackVipNetwork(conf)
    else:
        # Refused here, at start, rather than at the first load balancer.
        topology.check()
        topology.setup()
        network = vip_networks.NamespaceVipNetwork(conf, topology)
    amphora = amphora_driver(conf, topology)
    # Probed once: UDP by nftables in namespace mode, SCTP nowhere on this kernel.
    udp_refusal = udp_dataplane.probe_udp(topology)
    return Drivers(
        amphora=amphora,
        network=network,
        certificates=certificates.CertificateStore(conf.certificates.storage_path),
        operating_statuses=rollup.refresh_after_change,
        polls_health=True,
        capabilities=capabilities.Capabilities(
            lvs_refusals={'UDP': udp_refusal, 'SCTP': udp_dataplane.probe_sctp()},
            udp_by_nftables=True),
        served_profile_data=profile_options.haproxy(namespaces=topology is not None),
        udp=udp_dataplane.UdpDataplane(amphora) if udp_refusal is None else None)


def _noop(conf):
    return Drivers(amphora=noop_driver.NoopAmphoraDriver(),
                   network=vip_networks.NoopVipNetwork(),
                   certificates=noop_certificates.NoopCertificateStore(),
                   operating_statuses=noop_statuses.store_after_change,
                   polls_health=False,
                   # Octavia's noop amphora driver takes everything, LVS included.
                   capabilities=capabilities.Capabilities(),
                   # As Octavia's noop compute, image and network drivers.
                   served_profile_data=None)


BUILDERS = {'haproxy': _haproxy, 'noop': _noop}


def build(conf):
    return BUILDERS[conf.controller.amphora_driver](conf)
