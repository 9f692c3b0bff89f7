"""What to do next with an Octavia object: the lifecycle decisions of every LBaaS::* type.

Pure functions without I/O, so each decision is unit-tested on its own and the resource
classes only carry out what these say (the step engine, steps.py). Each concern has its
own module; this one gathers their names, so that callers read `lifecycle.decide_...`:

- decisions.py: what a resource does next (Next, Decision), its actions, the statuses read
- conflicts.py: why Octavia refused a request (409s), and whether asking again can help
- provisioning.py: whether an action is over, from the provisioning_status shown
- parent_rules.py: the parent load balancer: whether it accepts changes, turns, its repair
- replacement.py: how an update is carried out: in place, failover, or delete-then-create
- drift.py: which observed values count as out-of-band changes (--converge)
- readiness_rules.py: when an object counts as ready (wait_for_online), when to look again
- drain_rules.py: when a leaving member is drained first, and when its drain is over
- pool_member_changes.py: LBaaS::PoolMembers: changing a resource's own members of a pool
- backoff.py: delays between retries of a request refused as busy
- member_batch_rules.py: coalescing LBaaS::Member creates into batch requests
- owner_tags.py: the owner tag, and creates whose answer was lost
"""

from heat_lbaas.resources.decisions import (  # noqa: F401
    ACTIONS, ACTIVE, CREATE, Decision, DELETE, DELETED, ERROR, Next, PENDING_PREFIX,
    UPDATE)
from heat_lbaas.resources.conflicts import (  # noqa: F401
    conflict_is_transient, decide_on_api_error, decide_on_busy_object_status,
    immutable_object_named_in, ImmutableObject)
from heat_lbaas.resources.provisioning import (  # noqa: F401
    decide_on_missing_object, decide_on_provisioning_status)
from heat_lbaas.resources.parent_rules import (  # noqa: F401
    decide_on_parent_repair, decide_on_parent_status, turn_is_free)
from heat_lbaas.resources.replacement import (  # noqa: F401
    decide_how_to_update, replace_failed_resource_by_heat,
    unchanged_resource_needs_update, UpdatePlan)
from heat_lbaas.resources.drift import (  # noqa: F401
    live_values_to_compare)
from heat_lbaas.resources.readiness_rules import (  # noqa: F401
    decide_on_operating_status, next_readiness_check, READINESS_BACKOFF)
from heat_lbaas.resources.drain_rules import (  # noqa: F401
    drain_is_needed, drain_is_over)
from heat_lbaas.resources.pool_member_changes import (  # noqa: F401
    batch_fields, DUPLICATE_MEMBER, foreign_member_clash,
    plan_pool_member_change, PoolMemberChange)
from heat_lbaas.resources.backoff import (  # noqa: F401
    BackoffPolicy, DEFAULT_BACKOFF, retry_delay, retry_is_due)
from heat_lbaas.resources.member_batch_rules import (  # noqa: F401
    BATCH_CLAIMED, batch_is_worth_it, BATCH_SENT, BATCH_WAITING, decide_on_batch_entry,
    members_created_already, members_joining_batch, split_create_batch)
from heat_lbaas.resources.owner_tags import (  # noqa: F401
    create_answer_may_be_lost, decide_on_lost_create, LOST_CREATE_ATTEMPTS, lost_object,
    owner_tag, OWNER_TAG_PREFIX, with_owner_tag, without_owner_tags)
