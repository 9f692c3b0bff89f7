"""Properties that steer a resource's lifecycle and are never sent to the API.

OctaviaObject carries them out when a type's schema has them (see LOCAL_PROPERTIES
there): readiness (lifecycle.decide_on_operating_status) and drain before removal
(lifecycle.drain_is_needed / drain_is_over).
"""

from heat.common.i18n import _
from heat.engine import constraints
from heat.engine import properties

WAIT_FOR_ONLINE, ONLINE_TIMEOUT, DRAIN_SECONDS = (
    'wait_for_online', 'online_timeout', 'drain_seconds')

READINESS = {
    WAIT_FOR_ONLINE: properties.Schema(
        properties.Schema.BOOLEAN,
        _('Complete a create or update only once the health monitor finds the object '
          'healthy (operating_status ONLINE; without a monitor, NO_MONITOR counts as '
          'ready). Without it the resource completes when Octavia has provisioned it, '
          'whether or not it can serve.'),
        default=False,
        update_allowed=True,
    ),
    ONLINE_TIMEOUT: properties.Schema(
        properties.Schema.INTEGER,
        _('Seconds to wait for ONLINE (with wait_for_online) before the resource fails, '
          'naming the object and its last operating_status.'),
        default=300,
        constraints=[constraints.Range(min=1)],
        update_allowed=True,
    ),
}

def _drain_seconds(description):
    return properties.Schema(
        properties.Schema.INTEGER, description, default=5,
        constraints=[constraints.Range(min=0, max=3600)], update_allowed=True)


DRAIN = {
    DRAIN_SECONDS: _drain_seconds(_(
        'Before the member is removed (member delete, scale-in), it is set to weight 0 '
        'for this many seconds, so requests in flight finish and new ones go to the '
        'other members; set it above your slowest request. 0 removes it at once. Not '
        'applied when the whole stack is deleted.')),
}

# LBaaS::PoolMembers: the same drain, for the members a change removes from the list.
POOL_MEMBERS_DRAIN = {
    DRAIN_SECONDS: _drain_seconds(_(
        'Members removed from the list are first set to weight 0 for this many '
        'seconds (in the one additive batch request of the change), so requests in '
        'flight finish and new ones go to the other members; each is then deleted. '
        'Set it above your slowest request. 0 deletes them at once. Not applied when '
        'the whole stack is deleted.')),
}
