"""What the amphora driver in use carries out of a flavor's or availability zone's
profile data, checked when a load balancer names the flavor or zone.

Profiles hold whatever Octavia's amphora provider accepts (api/admin_capabilities.py).
The noop driver, as Octavia's noop drivers, takes all of it. The haproxy driver runs
each amphora as an HAProxy process on this one host: what it cannot serve is refused
at load balancer create with Octavia's ProviderUnsupportedOptionError (501), naming
the key, never accepted and ignored. Every key of Octavia's schemas is declared here
for it, with the values it serves (none: the key is refused whatever its value) and
why the others are not.

compute_zone: an Octavia whose Nova has one compute host boots every amphora on it,
in Nova's default availability zone `nova`, and refuses a zone Nova does not have.
So does this driver: compute_zone `nova` is served (every amphora is on this host
anyway), any other zone is refused.
"""
import dataclasses

from heat_lbaas.controller.api import capabilities
from heat_lbaas.controller import errors

# Nova's default availability zone (its default_availability_zone option): the one
# zone of a cloud with a single compute host.
ONE_HOST_COMPUTE_ZONE = 'nova'


@dataclasses.dataclass(frozen=True)
class Served:
    """The values of one profile key a driver carries out."""
    values: tuple | None    # None: any value; (): the key is refused
    why: str = ''           # why the other values are not served


@dataclasses.dataclass(frozen=True)
class ServedProfileData:
    flavor: dict                # key -> Served, for every key of FLAVOR_SCHEMA
    availability_zone: dict     # ... of AVAILABILITY_ZONE_SCHEMA


def haproxy(namespaces):
    """What the haproxy driver serves; ACTIVE_STANDBY (two amphorae with keepalived
    VRRP, amphora/active_standby.py) only with amphorae in network namespaces, where
    VRRP has interfaces to move the VIP between."""
    topologies = ('SINGLE', 'ACTIVE_STANDBY') if namespaces else ('SINGLE',)
    return ServedProfileData(
        flavor={
            'loadbalancer_topology': Served(
                topologies, 'a keepalived pair needs amphorae in network namespaces: '
                            '[controller] amphora_network = namespace'),
            'compute_flavor': Served((), 'no compute service: each amphora is an '
                                         'HAProxy process on this host'),
            'amp_image_tag': Served((), 'no amphora image: each amphora is an HAProxy '
                                        'process on this host'),
            'sriov_vip': Served((False,), 'no SR-IOV ports'),
            'allow_member_sriov': Served((False,), 'no SR-IOV ports'),
        },
        availability_zone={
            'compute_zone': Served((ONE_HOST_COMPUTE_ZONE,),
                                   'every amphora runs on this one host, in compute '
                                   'zone %s' % ONE_HOST_COMPUTE_ZONE),
            'volume_zone': Served((), 'no volumes: amphorae run on this host'),
            'management_network': Served((), 'no management network: the controller '
                                              'reaches its amphorae over Unix sockets'),
            'valid_vip_networks': Served(None),
        })


def check(served_profile_data, option, data):
    """Refuse (501) what of `data` (profile data valid for Octavia's schema) the
    driver does not serve. `served_profile_data`: a ServedProfileData, None where
    everything is served; `option`: 'flavor' or 'availability_zone'."""
    if served_profile_data is None:
        return
    served = getattr(served_profile_data, option)
    for key, value in data.items():
        rule = served[key]
        if rule.values is None or value in rule.values:
            continue
        label = option.replace('_', ' ')
        if rule.values:
            detail = '%s %s %s is not supported by this controller (%s; supported: %s).' % (
                label, key, _text(value), rule.why,
                ', '.join(_text(v) for v in rule.values))
        else:
            detail = '%s %s is not supported by this controller (%s).' % (
                label, key, rule.why)
        raise errors.ProviderUnsupported(capabilities.PROVIDER, detail)


def _text(value):
    # JSON's spelling of booleans, as they are written in the profile.
    return str(value).lower() if isinstance(value, bool) else str(value)
