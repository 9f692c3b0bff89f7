"""How each kind of Octavia object is created, changed, shown, listed and deleted through
python-octaviaclient's OctaviaAPI (Heat's `octavia` client plugin): one declaration per
kind, read by the resource base class (octavia_object.py).

OctaviaAPI names its methods <prefix>_create, _set, _show, _list, _delete; it wraps a body
in one key (`envelope`) and answers a list under another (`collection`). Objects that live
in a URL under their parent (members under /pools/{id}, L7 rules under
/l7policies/{id}) take the parent's id too, and not always in the same position.
"""

import dataclasses

FIRST, LAST = 'first', 'last'


@dataclasses.dataclass(frozen=True)
class OctaviaCalls:
    prefix: str          # 'listener': listener_create, listener_set, ...
    envelope: str        # {'listener': body}
    collection: str      # {'listeners': [...]}
    # For an object in its parent's URL, where the parent's id goes: FIRST, before the
    # object's own id (member_show(pool_id, id)), or LAST, after it (l7rule_show(id,
    # policy_id)); None for an object at the top of the API.
    parent_id: str = None
    # Keyword arguments of the delete (a load balancer's cascade).
    delete_options: tuple = ()

    def _method(self, client, verb):
        return getattr(client, '%s_%s' % (self.prefix, verb))

    def _parents(self, parent_id):
        return () if self.parent_id is None else (parent_id,)

    def _ids(self, parent_id, object_id):
        if self.parent_id == FIRST:
            return (parent_id, object_id)
        if self.parent_id == LAST:
            return (object_id, parent_id)
        return (object_id,)

    def create(self, client, parent_id, body):
        """Send the create request; return the created object (a dict)."""
        answer = self._method(client, 'create')(*self._parents(parent_id),
                                                json={self.envelope: body})
        return answer[self.envelope]

    def update(self, client, parent_id, object_id, body):
        self._method(client, 'set')(*self._ids(parent_id, object_id),
                                    json={self.envelope: body})

    def delete(self, client, parent_id, object_id):
        self._method(client, 'delete')(*self._ids(parent_id, object_id),
                                       **dict(self.delete_options))

    def show(self, client, parent_id, object_id):
        """The object (a dict); raises the client's 404 if it is gone."""
        return self._method(client, 'show')(*self._ids(parent_id, object_id))

    def list_tagged(self, client, parent_id, tag):
        """The objects of this kind (under `parent_id`) that carry `tag`."""
        return self._method(client, 'list')(*self._parents(parent_id),
                                            tags=tag)[self.collection]
