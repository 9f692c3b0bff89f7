"""Octavia objects through openstacksdk's load-balancer proxy in the test process, as
dicts keyed by the API's own field names (what `openstack loadbalancer ... -f json`
shows), and changes that wait until the object is ACTIVE again or gone, as the CLI's
`--wait` does, at a short interval."""
WAIT_SECONDS = 120
POLL_SECONDS = 0.1


def as_dict(found):
    return found.to_dict(headers=False, computed=False, original_names=True)


class LoadBalancerClient:
    def __init__(self, connection):
        self.proxy = connection.load_balancer

    def load_balancers(self):
        return [as_dict(lb) for lb in self.proxy.load_balancers()]

    def load_balancer(self, lb_id):
        return as_dict(self.proxy.get_load_balancer(lb_id))

    def listeners(self, lb_id=None):
        """Every listener, or those of one load balancer."""
        listed = [as_dict(listener) for listener in self.proxy.listeners()]
        return [listener for listener in listed if lb_id is None
                or lb_id in {lb['id'] for lb in listener['loadbalancers']}]

    def listener(self, listener_id):
        return as_dict(self.proxy.get_listener(listener_id))

    def pools(self, lb_id=None):
        query = {} if lb_id is None else {'loadbalancer_id': lb_id}
        return [as_dict(pool) for pool in self.proxy.pools(**query)]

    def pool(self, pool_id):
        return as_dict(self.proxy.get_pool(pool_id))

    def members(self, pool_id):
        return [as_dict(member) for member in self.proxy.members(pool_id)]

    def health_monitors(self):
        return [as_dict(monitor) for monitor in self.proxy.health_monitors()]

    def l7_policies(self):
        return [as_dict(policy) for policy in self.proxy.l7_policies()]

    def amphorae(self, lb_id):
        """The amphorae of a load balancer (an admin's call)."""
        return [as_dict(amphora) for amphora in self.proxy.amphorae(loadbalancer_id=lb_id)]

    def create_listener(self, lb_id, **fields):
        """`loadbalancer listener create --wait`."""
        created = self.proxy.create_listener(loadbalancer_id=lb_id, **fields)
        return as_dict(self._wait_active(created))

    def update_listener(self, listener_id, **fields):
        """`loadbalancer listener set --wait`."""
        return as_dict(self._wait_active(self.proxy.update_listener(listener_id, **fields)))

    def delete_member(self, pool_id, member_id):
        """`loadbalancer member delete --wait`: returns once the member is gone."""
        member = self.proxy.get_member(member_id, pool_id)
        self.proxy.delete_member(member, pool_id)
        self.proxy.wait_for_delete(member, interval=POLL_SECONDS, wait=WAIT_SECONDS)

    def _wait_active(self, changed):
        return self.proxy.wait_for_status(changed, 'ACTIVE', failures=['ERROR'],
                                          interval=POLL_SECONDS, wait=WAIT_SECONDS,
                                          attribute='provisioning_status')
