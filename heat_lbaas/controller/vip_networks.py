"""Where a load balancer's VIP lives: its subnet, network, port and address.

`LoopbackVipNetwork` is the amphora driver's: one subnet and one network (the UUIDs
of [controller] vip_subnet_id and vip_network_id) over vip_subnet_cidr inside
127.0.0.0/8, one address per load balancer. `NamespaceVipNetwork` is the same
subnet and network over [controller] namespace_cidr (amphora_network = namespace):
VIPs only from the lower half, as the gateway and the amphorae's own addresses (the
upper half) are taken. `NoopVipNetwork` is Octavia's
network_noop_driver: no network exists, so any UUID is accepted and kept, and the
address is the one asked for or 198.51.100.1.
"""
import ipaddress
import uuid

from heat_lbaas.controller import config
from heat_lbaas.controller import model
from heat_lbaas.controller import errors

# The address Octavia's network_noop_driver gives a VIP when none is asked for.
NOOP_VIP_ADDRESS = '198.51.100.1'


class LoopbackVipNetwork:
    def __init__(self, conf):
        self.subnet_id = conf.controller.vip_subnet_id
        self.network_id = conf.controller.vip_network_id
        self.cidr = config.vip_network(conf)

    def place(self, values, store):
        """Fill the VIP fields of a new load balancer (in the caller's transaction)."""
        subnet = values.get('vip_subnet_id')
        network = values.get('vip_network_id')
        port = values.get('vip_port_id')
        # Octavia's InvalidSubresource (400) for what Neutron does not have.
        if subnet and subnet != self.subnet_id:
            raise errors.ApiError('Subnet %s not found.' % subnet)
        if network and network != self.network_id:
            raise errors.ApiError('Network %s not found.' % network)
        if port:
            # Ports are created by the controller; none can be named in advance.
            raise errors.ApiError('Port %s not found.' % port)
        values['vip_subnet_id'] = self.subnet_id
        values['vip_network_id'] = self.network_id
        values['vip_port_id'] = str(uuid.uuid4())
        in_use = {lb['vip_address'] for lb in store.find(model.LOADBALANCER)}
        values['vip_address'] = self._allocate_address(values.get('vip_address'), in_use)

    def _free_addresses(self):
        """The addresses given out when none is asked for, in order."""
        gateway = next(self.cidr.hosts())
        # The first is left out, as Neutron keeps a subnet's first address for its
        # gateway.
        return (address for address in self.cidr.hosts() if address != gateway)

    def _taken(self, address):
        """Whether an address of the subnet belongs to something else than VIPs."""
        return False

    def _allocate_address(self, wanted, in_use):
        if wanted:
            if ipaddress.ip_address(wanted) not in self.cidr:
                raise errors.ValidationFailure(
                    'VIP address %s is not in subnet %s.' % (wanted, self.cidr))
            if wanted in in_use or self._taken(ipaddress.ip_address(wanted)):
                raise errors.Conflict('IP address %s already allocated in subnet %s'
                                      % (wanted, self.subnet_id))
            return wanted
        for address in self._free_addresses():
            if str(address) not in in_use:
                return str(address)
        raise errors.Conflict('No more IP addresses available on subnet %s.' % self.cidr)


class NamespaceVipNetwork(LoopbackVipNetwork):
    """VIPs on the amphorae's bridge: `topology` (amphora/netns.NamespaceTopology)
    says which of its addresses VIPs may take."""

    def __init__(self, conf, topology):
        super().__init__(conf)
        self.cidr = topology.network
        self._vip_addresses = topology.vip_addresses()
        self._vip_address_set = frozenset(self._vip_addresses)

    def _free_addresses(self):
        return iter(self._vip_addresses)

    def _taken(self, address):
        # The gateway (the bridge's) and the amphorae's own addresses are ports of
        # the subnet as in Neutron: asking for one is a conflict.
        return address not in self._vip_address_set


class NoopVipNetwork:
    def place(self, values, store):
        for name in ('vip_subnet_id', 'vip_network_id', 'vip_port_id'):
            values[name] = values.get(name) or str(uuid.uuid4())
        # No Neutron to refuse a second load balancer on an address: as in Octavia's
        # noop mode, several may share one.
        values['vip_address'] = values.get('vip_address') or NOOP_VIP_ADDRESS
