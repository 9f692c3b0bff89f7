"""/v2/lbaas/loadbalancers: VIP allocation, fully populated create, failover,
cascade delete."""
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
        flavor_data, zone_data = admin_offerings.check_loadbalancer(self.context, values)
        if flavor_data.get('sriov_vip'):
            # Octavia's anticipated VIP vNIC type (only drivers serving SR-IOV get here).
            values['vip_vnic_type'] = 'direct'
        if builder is not None:
            graph = builder.validate(nested)
        with self.store.transaction():
            self._place_vip(values)
            admin_offerings.check_vip_network(zone_data, values)
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
        if not (values.get('vip_subnet_id') or values.get('vip_network_id') or
                values.get('vip_port_id') or values.get('vip_address')):
            raise errors.ValidationFailure(
                'VIP must contain one of: vip_port_id, vip_network_id, vip_subnet_id.')
        self.context.network.place(values, self.store)

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
