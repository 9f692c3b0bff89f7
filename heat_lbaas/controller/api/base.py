"""What every collection of the API shares: look-ups, listing, new rows."""
import uuid

from heat_lbaas.controller import graph
from heat_lbaas.controller import status_transitions
from heat_lbaas.controller import errors
from heat_lbaas.controller.api import limits
from heat_lbaas.controller.api import quotas
from heat_lbaas.controller.api import validation
from heat_lbaas.controller.db import store as store_module


class Collection:
    object_type = None

    def __init__(self, context):
        self.context = context
        self.store = context.store

    def get(self, object_id):
        row = self.store.get(self.object_type, object_id)
        if row is None or row['provisioning_status'] == 'DELETED':
            raise errors.NotFound(self.object_type.title, object_id)
        return row

    def list(self, **equal):
        return self.store.find(self.object_type, **equal)

    # --- validation: the same three steps for every way of writing an object ---

    def check_rules(self, values, current=None):
        """The type's cross-field rules (Octavia's controller checks), given the
        schema-checked `values` and, on update, the `current` row. May complete
        `values` (defaults that depend on other fields). None by default."""

    def validate_create(self, body, extra_fields=()):
        """Field schema, then cross-field rules, then the provider's capabilities:
        for a single create, a batch member and a fully populated create's objects."""
        values = validation.for_create(self.object_type,
                                       validation.unwrap(self.object_type, body),
                                       extra_fields)
        limits.check_tags(self.context.conf, values)
        self.check_rules(values)
        self.context.capabilities.check(self.object_type, values)
        return values

    def validate_update(self, body, current_of):
        """As validate_create, for the changes `body` makes to the row `current_of()`
        returns; that is looked up once the body passed the field schema (as in
        Octavia, a malformed body is a 400 even for an object that does not exist).
        Returns (changes, current row)."""
        values = validation.for_update(self.object_type,
                                       validation.unwrap(self.object_type, body))
        limits.check_tags(self.context.conf, values)
        current = current_of()
        self.check_rules(values, current)
        self.context.capabilities.check(self.object_type, values, current)
        return values, current

    def new_row(self, values, project_id):
        """Insert a new object (in the caller's transaction), within the project's
        quota and its parent's [limits]."""
        now = store_module.utcnow()
        project_id = values.get('project_id') or project_id
        quotas.check(self.context.conf, self.store, self.object_type, project_id)
        limits.check_count(self.context.conf, self.store, self.object_type, values)
        values.update(id=str(uuid.uuid4()), project_id=project_id,
                      created_at=now, updated_at=None,
                      **status_transitions.created(self.object_type))
        return self.store.insert(self.object_type, values)

    def save_update(self, row, values):
        values.update(status_transitions.updating())
        return self.store.update(self.object_type, row['id'], values)

    def mark_deleted(self, row):
        """PENDING_DELETE for the object and everything under it."""
        return status_transitions.mark_deleting(self.store, self.object_type, row)

    def lock_for_change(self, row, users=()):
        """Check and lock what a change of `row` (or a new object's values) locks."""
        status_transitions.lock_for_change(self.store, self.object_type, row, users)

    def loadbalancer_id(self, row):
        """The load balancer `row` lives under: the one the worker applies."""
        return graph.loadbalancer_id(self.store, self.object_type, row)

    def require_mutable(self, row):
        status_transitions.require_changeable(self.object_type, row)


class NestedCollection(Collection):
    """A collection under its parent's path (members in a pool, rules in a policy)."""
    parent_title = None     # the parent's name in Octavia's 404 for such paths

    def parent(self, parent_id):
        parent = self.store.get(self.object_type.parent, parent_id)
        if parent is None or parent['provisioning_status'] == 'DELETED':
            raise errors.NotFound(self.parent_title or self.object_type.parent.title,
                                  parent_id)
        return parent

    def get_in_parent(self, parent_id, child_id):
        self.parent(parent_id)
        child = self.get(child_id)
        if child[self.object_type.parent_field] != parent_id:
            raise errors.NotFound(self.object_type.title, child_id)
        return child

    def list_in(self, parent_id):
        self.parent(parent_id)
        return self.list(**{self.object_type.parent_field: parent_id})
