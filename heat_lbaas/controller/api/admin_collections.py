"""What the stored admin collections share (controller/admin_model.py): look-up by
key, Octavia's JSON shape (the declared fields only), listing with api/querying.py,
and the writes. They have no provisioning status: a change takes effect at once."""
import uuid

from heat_lbaas.controller import admin_model
from heat_lbaas.controller import errors
from heat_lbaas.controller.api import querying
from heat_lbaas.controller.api import validation


class DuplicateName(errors.Conflict):
    def __init__(self, what, name):
        # Octavia's RecordAlreadyExists, grammar included.
        super().__init__('A %s of %s already exists.' % (what, name))


class ObjectInUse(errors.Conflict):
    def __init__(self, what, object_id):
        super().__init__('%s %s is in use and cannot be modified.' % (what, object_id))


def view(object_type, row):
    return {f.name: row[f.name] for f in object_type.fields if f.visible}


def listing(request, object_type, bodies):
    """{collection: page, links_key: links}, filtered, sorted and paged as the load
    balancer collections are. An availability zone has no id: its name stands in for
    it as the marker and the last sort key."""
    key = admin_model.KEY_FIELD.get(object_type, 'id')
    items = [(dict(body, id=body[key]), {}) for body in bodies]
    page, links = querying.apply(request, object_type, items)
    if key != 'id':
        page = [{k: v for k, v in body.items() if k != 'id'} for body in page]
    return {object_type.collection: page, admin_model.LINKS_KEY[object_type]: links}


class AdminCollection:
    object_type = None
    # How Octavia names the object in the 404 of a delete (some differ from GET's).
    delete_title = None

    def __init__(self, context):
        self.context = context
        self.store = context.store

    @property
    def key(self):
        return admin_model.KEY_FIELD.get(self.object_type, 'id')

    @property
    def table(self):
        return self.store.tables[self.object_type.collection]

    def find(self, key_value):
        rows = self.store.find(self.object_type, **{self.key: key_value})
        return rows[0] if rows else None

    def get(self, key_value, title=None):
        row = self.find(key_value)
        if row is None:
            raise errors.NotFound(title or self.object_type.title, key_value)
        return row

    def list(self):
        return self.store.find(self.object_type)

    def show(self, row):
        return view(self.object_type, row)

    def values_for_create(self, body):
        return validation.for_create(self.object_type,
                                     validation.unwrap(self.object_type, body))

    def values_for_update(self, body):
        return validation.for_update(self.object_type,
                                     validation.unwrap(self.object_type, body))

    def insert(self, values):
        if self.key == 'id':
            values['id'] = str(uuid.uuid4())
        with self.store.transaction():
            self.store.execute(self.table.insert().values(**values))
        return self.get(values[self.key])

    def write(self, key_value, values):
        if values:
            self.store.execute(self.table.update().where(
                self.table.c[self.key] == key_value).values(**values))
        return self.get(key_value)

    def remove(self, key_value):
        self.store.execute(self.table.delete().where(
            self.table.c[self.key] == key_value))

    def delete(self, key_value):
        with self.store.transaction():
            self.get(key_value, self.delete_title)
            self.check_unused(key_value)
            self.remove(key_value)

    def check_unused(self, key_value):
        """Raise ObjectInUse while something refers to the object."""
