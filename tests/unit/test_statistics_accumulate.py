"""amphora/stats.accumulate: counters of processes that are gone or started again are
kept in their amphora's base, so cumulative counters never read lower; stats.merge:
the readings held through a reload, stored as one."""
from heat_lbaas.controller.amphora import stats

L1, L2 = 'listener-1', 'listener-2'


def counters(bytes_in, total, active=0, bytes_out=0, errors=0):
    return {'bytes_in': bytes_in, 'bytes_out': bytes_out, 'active_connections': active,
            'total_connections': total, 'request_errors': errors}


def listener_total(rows, listener_id=L1):
    return stats.total(r for r in rows if r['listener_id'] == listener_id)


def test_a_first_reading_stores_each_process():
    rows = stats.accumulate([], {'amp-a': {'10': {L1: counters(100, 2, 1)}}}, {L1})
    assert rows == [dict(counters(100, 2, 1), listener_id=L1, amphora='amp-a',
                         process='10')]


def test_a_reload_adds_the_new_workers_to_the_draining_old_one():
    rows = stats.accumulate([], {'amp-a': {'10': {L1: counters(100, 2)}}}, {L1})
    # Reload: worker 11 starts from zero while worker 10 drains.
    rows = stats.accumulate(rows, {'amp-a': {'10': {L1: counters(150, 3, 1)},
                                             '11': {L1: counters(20, 1, 1)}}}, {L1})
    assert listener_total(rows) == counters(170, 4, 2)
    # Worker 10 exits: its last reading stays, its connections no longer count.
    rows = stats.accumulate(rows, {'amp-a': {'11': {L1: counters(30, 2)}}}, {L1})
    assert listener_total(rows) == counters(180, 5, 0)
    assert {r['process'] for r in rows} == {'', '11'}


def test_a_failover_keeps_the_replaced_amphora_counters():
    rows = stats.accumulate([], {'amp-a': {'10': {L1: counters(100, 2, 1)}}}, {L1})
    rows = stats.accumulate(rows, {}, {L1})             # no process runs
    assert listener_total(rows) == counters(100, 2, 0)
    rows = stats.accumulate(rows, {'amp-b': {'20': {L1: counters(5, 1, 1)}}}, {L1})
    assert listener_total(rows) == counters(105, 3, 1)
    assert stats.total(r for r in rows if r['amphora'] == 'amp-b') == counters(5, 1, 1)


def test_counters_lower_than_before_started_again_and_add_up():
    rows = stats.accumulate([], {'amp-a': {'10': {L1: counters(100, 4)}}}, {L1})
    rows = stats.accumulate(rows, {'amp-a': {'10': {L1: counters(7, 1)}}}, {L1})
    assert listener_total(rows) == counters(107, 5)


def test_a_process_that_does_not_answer_keeps_its_last_reading_and_is_not_folded():
    rows = stats.accumulate([], {'amp-a': {'10': {L1: counters(100, 4, 2)}}}, {L1})
    rows = stats.accumulate(rows, {'amp-a': {'10': None}}, {L1})
    assert listener_total(rows) == counters(100, 4, 2)
    # Its next answer replaces the reading, counted once.
    rows = stats.accumulate(rows, {'amp-a': {'10': {L1: counters(120, 5)}}}, {L1})
    assert listener_total(rows) == counters(120, 5)


def test_an_amphora_that_cannot_tell_changes_nothing():
    rows = stats.accumulate([], {'amp-a': {'10': {L1: counters(100, 4, 2)}}}, {L1})
    assert stats.accumulate(rows, None, {L1}) == rows


def test_listeners_are_counted_apart_and_deleted_ones_dropped():
    reading = {'amp-a': {'10': {L1: counters(100, 4), L2: counters(9, 1)}}}
    rows = stats.accumulate([], reading, {L1, L2})
    assert listener_total(rows, L2) == counters(9, 1)
    rows = stats.accumulate(rows, reading, {L1})
    assert {r['listener_id'] for r in rows} == {L1}


def test_a_listener_a_process_does_not_serve_keeps_that_process_reading():
    # The old worker still drains L2's connections; the new one has no L2 frontend.
    rows = stats.accumulate([], {'amp-a': {'10': {L1: counters(1, 1), L2: counters(8, 2)}}},
                            {L1, L2})
    rows = stats.accumulate(rows, {'amp-a': {'10': {L1: counters(1, 1)},
                                             '11': {L1: counters(3, 1)}}}, {L1, L2})
    assert listener_total(rows, L2) == counters(8, 2)


def test_show_stat_frontends_by_listener():
    text = ('# pxname,svname,scur,stot,bin,bout,ereq\n'
            'l1,FRONTEND,2,7,100,200,1\n'
            'p:l1,m1,1,5,50,60,\n')
    assert stats.listener_counters(text) == {'l1': {
        'bytes_in': 100, 'bytes_out': 200, 'active_connections': 2,
        'total_connections': 7, 'request_errors': 1}}
    assert stats.listener_counters('Unknown command') is None


def test_readings_held_through_a_reload_count_the_old_worker_to_its_last_answer():
    rows = stats.accumulate([], {'amp-a': {'10': {L1: counters(100, 2)}}}, {L1})
    # Held while the master reloads: it cannot tell (None), then worker 10 still
    # drains beside the new worker 11, then 10 is gone and 11 does not answer.
    held = None
    for reading in (None,
                    {'amp-a': {'10': {L1: counters(140, 3)}, '11': {L1: counters(0, 0)}}},
                    {'amp-a': {'11': None}}):
        held = stats.merge(held, reading)
    assert held == {'amp-a': {'10': {L1: counters(140, 3)}, '11': {L1: counters(0, 0)}}}
    rows = stats.accumulate(rows, held, {L1})
    assert listener_total(rows) == counters(140, 3)
    # The next reading misses worker 10: its last answer is folded, counted once.
    rows = stats.accumulate(rows, {'amp-a': {'11': {L1: counters(5, 1)}}}, {L1})
    assert listener_total(rows) == counters(145, 4)


def test_merging_with_nothing_known_keeps_the_other_reading():
    reading = {'amp-a': {'10': {L1: counters(1, 1)}}}
    assert stats.merge(None, reading) == reading
    assert stats.merge(reading, None) == reading
    assert stats.merge(None, None) is None
