"""The devcloud load alarm's evaluation rules (Aodh's threshold rule), its meters, and
the credentials its requests carry."""
import http.server
import json
import threading

import pytest

from heat_lbaas.devcloud import load_alarm
from heat_lbaas.devcloud.load_alarm import ALARM, INSUFFICIENT_DATA, OK


@pytest.mark.parametrize('state,values,expected', [
    (INSUFFICIENT_DATA, [9], INSUFFICIENT_DATA),      # fewer values than periods
    (INSUFFICIENT_DATA, [9, 9], ALARM),               # both breach
    (INSUFFICIENT_DATA, [1, 2], OK),                  # none breaches
    (OK, [1, 9], OK),                                 # mixed: unchanged
    (ALARM, [9, 1], ALARM),                           # mixed: unchanged
    (ALARM, [9, None], ALARM),                        # a period without data: unchanged
    (ALARM, [1, 1, 9, 9], ALARM),                     # only the last periods count
    (ALARM, [9, 9, 1, 1], OK),
])
def test_state_follows_the_last_evaluation_periods(state, values, expected):
    assert load_alarm.next_state(state, values, threshold=4, comparison='gt',
                                 evaluation_periods=2) == expected


@pytest.mark.parametrize('comparison,value,breaches', [
    ('gt', 4, False), ('gt', 4.1, True), ('ge', 4, True), ('lt', 4, False),
    ('lt', 3.9, True), ('le', 4, True), ('eq', 4, True), ('ne', 4, False),
])
def test_comparison_operators(comparison, value, breaches):
    state = load_alarm.next_state(INSUFFICIENT_DATA, [value], 4, comparison, 1)
    assert state == (ALARM if breaches else OK)


@pytest.mark.parametrize('previous,current,repeat,fired', [
    (INSUFFICIENT_DATA, ALARM, False, ALARM),
    (ALARM, ALARM, False, None),
    (ALARM, ALARM, True, ALARM),          # repeat_actions: every evaluation
    (ALARM, OK, False, OK),
    (OK, OK, True, OK),
    (INSUFFICIENT_DATA, INSUFFICIENT_DATA, True, None),
])
def test_actions_fire_on_a_change_or_with_repeat(previous, current, repeat, fired):
    assert load_alarm.actions_to_fire(previous, current, repeat) == fired


def test_a_period_without_data_fires_nothing_even_with_repeat():
    assert load_alarm.actions_to_fire(ALARM, ALARM, True, measured=False) is None


def test_value_per_member_counts_only_members_taking_traffic():
    members = [{'operating_status': 'ONLINE'}, {'operating_status': 'NO_MONITOR'},
               {'operating_status': 'ERROR'},
               {'operating_status': 'ONLINE', 'admin_state_up': False}]
    assert load_alarm.per_member(9, members) == 4.5
    assert load_alarm.per_member(9, []) == 9


def test_meters_from_listener_samples():
    samples = [{'active_connections': 2, 'total_connections': 100},
               {'active_connections': 4, 'total_connections': 130},
               {'active_connections': 6, 'total_connections': 150}]
    assert load_alarm.meter_value('active_connections', samples, 2.0) == 4
    assert load_alarm.meter_value('connection_rate', samples, 2.0) == 25
    assert load_alarm.meter_value('connection_rate', samples[:1], 2.0) is None
    assert load_alarm.meter_value('active_connections', [], 2.0) is None


class _RecordingApi(http.server.BaseHTTPRequestHandler):
    """Answers listener stats and member lists; records each request's headers."""

    seen = []

    def _answer(self, body):
        self.seen.append((self.command, self.path, dict(self.headers)))
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path.endswith('/stats'):
            self._answer({'stats': {'active_connections': 6, 'total_connections': 9}})
        else:
            self._answer({'members': [{'operating_status': 'ONLINE'}]})

    def do_POST(self):
        self._answer({})

    def log_message(self, *args):
        pass


@pytest.fixture
def recording_api():
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _RecordingApi)
    _RecordingApi.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield 'http://127.0.0.1:%d' % server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join()
