"""Lists answered from a snapshot of the store (db/snapshot.py): the same bodies as
showing each object alone, in a number of queries that does not grow with the list.
A real SQLite store; the queries are counted as SQLAlchemy runs them."""
import pytest
import sqlalchemy as sa

from heat_lbaas.controller import model
from heat_lbaas.controller.api import views
from heat_lbaas.controller.db import snapshot
from heat_lbaas.controller.db import store as store_module


@pytest.fixture
def store(tmp_path):
    return store_module.Store(str(tmp_path / 'snapshot.sqlite'))


def add(store, object_type, object_id, **values):
    store.insert(object_type, dict(values, id=object_id, provisioning_status='ACTIVE'))


def add_trees(store, count):
    """`count` load balancers, each with two listeners, two pools (the second reached
    through an L7 policy), members, a monitor and a rule."""
    for n in range(count):
        lb = 'lb%d' % n
        add(store, model.LOADBALANCER, lb)
        add(store, model.POOL, lb + 'p1', loadbalancer_id=lb, healthmonitor_id=lb + 'h')
        add(store, model.POOL, lb + 'p2', loadbalancer_id=lb)
        add(store, model.LISTENER, lb + 'l1', loadbalancer_id=lb, default_pool_id=lb + 'p1')
        add(store, model.LISTENER, lb + 'l2', loadbalancer_id=lb)
        add(store, model.L7POLICY, lb + 'r', listener_id=lb + 'l2',
            redirect_pool_id=lb + 'p2', position=1)
        add(store, model.L7RULE, lb + 'rr', l7policy_id=lb + 'r')
        add(store, model.MEMBER, lb + 'm', pool_id=lb + 'p1')
        add(store, model.HEALTH_MONITOR, lb + 'h', pool_id=lb + 'p1')


def listed(store, object_type):
    """(bodies, queries run) of showing every object of the type from a snapshot."""
    queries = []
    sa.event.listen(store.engine, 'before_cursor_execute',
                    lambda *args: queries.append(args[2]))
    tables = snapshot.Snapshot(store)
    bodies = [views.show(tables, object_type, row) for row in store.find(object_type)]
    return bodies, len(queries)


@pytest.mark.parametrize('object_type', model.OBJECT_TYPES, ids=lambda t: t.key)
def test_a_snapshot_shows_what_the_store_shows(store, object_type):
    add_trees(store, 3)
    bodies, _ = listed(store, object_type)
    assert bodies == [views.show(store, object_type, row)
                      for row in store.find(object_type)]
    assert bodies


@pytest.mark.parametrize('object_type', model.OBJECT_TYPES, ids=lambda t: t.key)
def test_listing_costs_the_same_queries_for_2_or_40_trees(tmp_path, object_type):
    counts = []
    for count in (2, 40):
        store = store_module.Store(str(tmp_path / ('%d.sqlite' % count)))
        add_trees(store, count)
        counts.append(listed(store, object_type)[1])
    assert counts[0] == counts[1] <= 6, counts


def test_a_snapshot_gets_and_finds_by_several_fields(store):
    add_trees(store, 2)
    tables = snapshot.Snapshot(store)
    assert tables.get(model.POOL, 'lb1p2') == store.get(model.POOL, 'lb1p2')
    assert tables.get(model.POOL, 'nothing') is None
    assert tables.find(model.LISTENER, loadbalancer_id='lb0',
                       default_pool_id='lb0p1') == [store.get(model.LISTENER, 'lb0l1')]
    assert tables.find(model.LISTENER, loadbalancer_id='lb9') == []
