"""bench/log_timeline.py: the milestones of a scale step found in oslo.log lines, in
order, and the phases between them (pure logic; bench/scale_latency.py measures)."""
import pytest

from bench import log_timeline
from bench.log_timeline import Milestone

HEAT_LOG = """\
2026-11-30 20:15:56.181 7850 INFO heat.common.wsgi POST /v1/s/1/resources/scale_up/signal
2026-11-30 20:15:56.214 7850 INFO heat.engine.resources.policy scale_up alarm, adjusting group
not a log line
2026-11-30 20:15:56.463 7850 INFO heat.engine.service Updating stack s-web_group-x
2026-11-30 20:15:57.495 7850 INFO heat.engine.resource creating DevWebServer "server" Stack "s-x-a"
"""
CONTROLLER_LOG = """\
2026-11-30 20:15:56.300 7849 INFO heat_lbaas.controller.access POST /v2.0/lbaas/pools/p/members 201
2026-11-30 20:15:58.430 7849 INFO heat_lbaas.controller.access POST /v2.0/lbaas/pools/p/members 201
"""
MILESTONES = [Milestone('signal', r'scale_up/signal'),
              Milestone('policy', r'scale_up alarm'),
              Milestone('server', r'creating DevWebServer'),
              Milestone('POST', r'POST /v2.0/lbaas/pools/\S+/members 201')]


def lines(tmp_path):
    (tmp_path / 'heat.log').write_text(HEAT_LOG)
    (tmp_path / 'controller.log').write_text(CONTROLLER_LOG)
    return log_timeline.read_lines(
        [tmp_path / 'heat.log', tmp_path / 'controller.log', tmp_path / 'missing.log'],
        log_timeline.parse_time('2026-11-30 20:15:56.000'),
        log_timeline.parse_time('2026-11-30 20:15:59.000'))


def test_lines_of_both_logs_merge_in_time_order(tmp_path):
    merged = lines(tmp_path)
    assert [text.split()[0] for _, text in merged] == [
        'heat.common.wsgi', 'heat.engine.resources.policy',
        'heat_lbaas.controller.access', 'heat.engine.service', 'heat.engine.resource',
        'heat_lbaas.controller.access']
    assert merged[1][0] - merged[0][0] == pytest.approx(0.033)


def test_each_milestone_is_the_first_match_after_the_previous_one(tmp_path):
    start = log_timeline.parse_time('2026-11-30 20:15:56.000')
    found = log_timeline.find_milestones(lines(tmp_path), MILESTONES, start)
    # The POST at 56.300 came before the web server's create: the member's is the later.
    assert found['POST'] - found['server'] == pytest.approx(58.430 - 57.495)
    assert sorted(found, key=found.get) == ['signal', 'policy', 'server', 'POST']


def test_a_missing_milestone_is_left_out_and_the_phases_skip_it():
    points = [('a', 10.0), ('b', None), ('c', 10.5), ('d', 11.25)]
    assert log_timeline.phases(points) == [('a', 'c', 0.5), ('c', 'd', 0.75)]
