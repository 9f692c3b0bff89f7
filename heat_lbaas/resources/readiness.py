"""Readiness (lifecycle_properties.py): a create or update that ends with waiting until
the object's health checks pass (`wait_for_online`, up to `online_timeout` seconds)."""

from heat_lbaas.resources import operations


def readiness_steps(properties_schema, properties):
    """The steps to add at the end of a create or update with `properties`."""
    if 'wait_for_online' not in properties_schema:
        return []
    if not properties['wait_for_online']:
        return []
    return [(operations.WAIT_ONLINE, properties['online_timeout'])]
