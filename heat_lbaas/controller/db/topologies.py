"""A load balancer's topology, from its flavor's profile (Octavia's
`loadbalancer_topology` flavor capability); SINGLE without a flavor or without the
key, Octavia's [controller_worker] loadbalancer_topology default."""
import json

from heat_lbaas.controller import admin_model

SINGLE, ACTIVE_STANDBY = 'SINGLE', 'ACTIVE_STANDBY'


def of_loadbalancer(store, lb):
    if not lb.get('flavor_id'):
        return SINGLE
    flavor = store.get(admin_model.FLAVOR, lb['flavor_id'])
    profile = flavor and store.get(admin_model.FLAVOR_PROFILE,
                                   flavor['flavor_profile_id'])
    if profile is None:
        return SINGLE
    try:
        data = json.loads(profile['flavor_data'])
    except ValueError:
        return SINGLE
    return data.get('loadbalancer_topology') or SINGLE
