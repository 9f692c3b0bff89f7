"""The one place that chooses what serves the load balancers: [controller]
amphora_driver picks the amphora driver together with the VIP network, the
certificate store and the rules of operating statuses that go with it."""
import dataclasses
import typing

from heat_lbaas.controller import vip_networks
from heat_lbaas.controller import certificates
from heat_lbaas.controller.amphora import driver_base
from heat_lbaas.controller.amphora import haproxy_process
from heat_lbaas.controller.amphora import noop_certificates
from heat_lbaas.controller.amphora import noop_driver
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
    # What it carries out of flavor and availability zone profiles (None: all).
    served_profile_data: typing.Any


def _haproxy(conf):
    return Drivers(
        amphora=haproxy_process.HaproxyProcessDriver(conf.controller.state_dir,
                                                     conf.controller.haproxy_binary),
        network=vip_networks.LoopbackVipNetwork(conf),
        certificates=certificates.CertificateStore(conf.certificates.storage_path),
        operating_statuses=rollup.refresh_after_change,
        polls_health=True,
        served_profile_data=profile_options.HAPROXY)


def _noop(conf):
    return Drivers(amphora=noop_driver.NoopAmphoraDriver(),
                   network=vip_networks.NoopVipNetwork(),
                   certificates=noop_certificates.NoopCertificateStore(),
                   operating_statuses=noop_statuses.store_after_change,
                   polls_health=False,
                   # As Octavia's noop compute, image and network drivers.
                   served_profile_data=None)


BUILDERS = {'haproxy': _haproxy, 'noop': _noop}


def build(conf):
    return BUILDERS[conf.controller.amphora_driver](conf)
