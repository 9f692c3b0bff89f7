"""How an update is carried out: in place, by failover, or by deleting the object and
creating it again (never create-before-delete: the new object would clash with the old)."""

import enum

from heat_lbaas.resources.decisions import ERROR


class UpdatePlan(enum.Enum):
    """How an update is carried out."""

    NOTHING = 'nothing'      # no field changed and the object is fine
    IN_PLACE = 'in_place'    # one PUT with the changed fields; the id stays
    RECREATE = 'recreate'    # delete the object, then create it anew (new id)
    FAIL_OVER = 'fail_over'  # a load balancer in ERROR: rebuild its amphora, keep the id


def decide_how_to_update(provisioning_status, changed_properties,
                         recreate_properties, can_fail_over=False):
    """The plan of an update, from the object's current state and what changed.

    `provisioning_status` None means the object is gone. `recreate_properties` are those
    the API cannot update (a health monitor's type, a member's address or port): they
    are changed by deleting the object first and creating it again, never the other way
    round, because the new object would clash with the old one (duplicate member or
    health monitor: a permanent 409, the hang of Heat's create-before-delete).
    An object in ERROR (or gone) is recovered the same way, since Octavia accepts no
    update of it; a load balancer is failed over instead, so its children survive.
    """
    if provisioning_status is None:
        return UpdatePlan.RECREATE
    if provisioning_status == ERROR:
        return UpdatePlan.FAIL_OVER if can_fail_over else UpdatePlan.RECREATE
    if set(changed_properties) & set(recreate_properties):
        return UpdatePlan.RECREATE
    if changed_properties:
        return UpdatePlan.IN_PLACE
    return UpdatePlan.NOTHING


def unchanged_resource_needs_update(resource_failed, provisioning_status):
    """Whether a stack update must touch a resource whose template did not change.

    Heat skips unchanged resources, so an object that went to ERROR (or vanished) out of
    band, or one whose last action failed, would stay broken forever: update it anyway,
    and decide_how_to_update recovers it.
    """
    return resource_failed or provisioning_status in (ERROR, None)


def replace_failed_resource_by_heat(object_exists):
    """Whether a FAILED resource is left to Heat's replacement (create new, delete old).

    Only when the object is gone: otherwise the new one could clash with it (duplicate
    member or monitor), so it is recovered in place by the update instead.
    """
    return not object_exists
