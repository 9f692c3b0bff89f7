"""/v2/lbaas/loadbalancers: VIP allocation, fully populated create, failover,
cascade delete."""
import ipaddress
import uuid

from heat_lbaas.controller import graph
from heat_lbaas.controller import model
from heat_lbaas.controller import status_transitions
from heat_lbaas.controller.api import admin_offerings
from heat_lbaas.controller.api import base
from heat_lbaas.controller import errors
from heat_lbaas.controller.api import loadbalancer_graph
from heat_lbaas.controller.worker import failover

PROVIDERS = {'amphora': 'The bundled amphora controller: one HAProxy process per '
                        'load balancer on a loopback VIP.',
             'octavia': 'Alias of amphora (deprecated name in Octavia too).'}


class LoadBalancers(base.Collection):
    object_type = model.LOADBALANCER

    def create(self, body, project_id):
        graph, builder = None, None
        if loadbalancer_graph.is_fully_populated(body):
            builder = loadbalancer_graph.GraphBuilder(self.context)
            body, nested = builder.split(body)
        values = self.validate_create(body)
        if values['provider'] not in PROVIDERS:
            raise errors.ApiError("Provider '%s' is not enabled." % values['provider'])
        admin_offerings.check_loadbalancer(self.context, values)
        if builder is not None:
            graph = builder.validate(nested)
        with self.store.transaction():
            self._place_vip(values)
            row = self.new_row(values, project_id)
            if graph is not None:
                builder.create(graph, row)
        self.context.worker.submit(row['id'])
        return row

    def failover(self, lb_id):
        self.get(lb_id)
        if not failover.fail_over(self.context.failovers, self.context.worker, lb_id,
                                  status_transitions.FAILOVER_BY_API):
            raise errors.InvalidState(self.get(lb_id)['provisioning_status'], lb_id)

    def _place_vip(self, values):
        conf = self.context.conf.controller
        subnet = values.get('vip_subnet_id')
        network = values.get('vip_network_id')
        if not (subnet or network or values.get('vip_address')):
            raise errors.ValidationFailure(
                'VIP must contain one of: vip_port_id, vip_network_id, vip_subnet_id.')
        if subnet and subnet != conf.vip_subnet_id:
            raise errors.ValidationFailure('Subnet %s not found.' % subnet)
        if network and network != conf.vip_network_id:
            raise errors.ValidationFailure('Network %s not found.' % network)
        values['vip_subnet_id'] = conf.vip_subnet_id
        values['vip_network_id'] = conf.vip_network_id
        values['vip_port_id'] = str(uuid.uuid4())
        values['vip_address'] = self._allocate_address(values.get('vip_address'))

    def _allocate_address(self, wanted):
        subnet = self.context.vip_network
        in_use = {lb['vip_address'] for lb in self.list()}
        if wanted:
            if ipaddress.ip_address(wanted) not in subnet:
                raise errors.ValidationFailure(
                    'VIP address %s is not in subnet %s.' % (wanted, subnet))
            if wanted in in_use:
                raise errors.Conflict('IP address %s already allocated in subnet %s'
                                      % (wanted, self.context.conf.controller.vip_subnet_id))
            return wanted
        for address in subnet.hosts():
            # .1 is left out, as Neutron keeps a subnet's first address for its gateway.
            if str(address) not in in_use and address != next(subnet.hosts()):
                return str(address)
        raise errors.Conflict('No more IP addresses available on subnet %s.' % subnet)

    def update(self, lb_id, body):
        with self.store.transaction():
            values, lb = self.validate_update(body, lambda: self.get(lb_id))
            status_transitions.check_loadbalancer_mutable(lb)
            row = self.save_update(lb, values)
        self.context.worker.submit(lb_id)
        return row

    def delete(self, lb_id, cascade=False):
        with self.store.transaction():
            lb = self.get(lb_id)
            status_transitions.check_loadbalancer_mutable(lb, deleting=True)
            if not cascade and graph.descendant_rows(self.store, model.LOADBALANCER,
                                                     lb_id):
                raise errors.ValidationFailure(
                    'Cannot delete Load Balancer %s - it has children' % lb_id)
            self.mark_deleted(lb)
        self.context.worker.submit(lb_id)
