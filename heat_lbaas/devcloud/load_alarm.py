"""A devcloud load alarm: Aodh's threshold alarm, on a listener's load, in one process.

The devcloud has no Ceilometer, Gnocchi or Aodh, so LBaaS::Dev::LoadAlarm (the Heat
resource) starts this program to scale on real load instead: every `period` seconds it
measures a meter of a listener from the load balancer API's statistics, optionally per
member of a pool, compares it with a threshold, and POSTs to the alarm (or ok) action
URLs (scaling policies' signal URLs) when the alarm changes state - or on every
evaluation in that state with repeat_actions, as Aodh does.

Meters (listener statistics: GET /v2/lbaas/listeners/{id}/stats):
  active_connections  connections open now, averaged over the samples of the period
  connection_rate     new connections per second over the period (total_connections)
With a pool, the value is divided by the pool's members that take traffic (ONLINE or,
without a health monitor, NO_MONITOR), like Aodh's mean over a group's servers.

States as Aodh: `insufficient data` until `evaluation_periods` values are in; `alarm`
when the last evaluation_periods values all breach the threshold; `ok` when none does;
otherwise unchanged. The body POSTed is Aodh's notification: alarm_name, current,
previous, reason, reason_data.

Requests carry the stack's credentials, as the LBaaS::* resources' requests do: the
token (X-Auth-Token, what a Keystone-protected API checks) and the project
(X-Project-Id, what an API without Keystone, e.g. Octavia with auth_strategy noauth,
takes the caller's project from). The resource writes them to `<id>.auth` (mode 0600,
never on a command line); a Keystone token expires, so on a real cloud the alarm reads
statistics only for the token's life (this type is for the devcloud).

Run as `python -m heat_lbaas.devcloud.load_alarm --alarm-id ID --endpoint URL
--listener ID --threshold N [--auth-file PATH] [...]`; files (child_process) in
`$HEAT_LBAAS_DEVCLOUD_DIR/alarms`: <id>.ready is rewritten after every evaluation with
{"pid", "state", "value", "evaluated_at"}.
"""
import argparse
import collections
import json
import operator
import os
import signal
import sys
import time

import requests

from heat_lbaas.devcloud import child_process

MODULE = 'heat_lbaas.devcloud.load_alarm'

METERS = ('active_connections', 'connection_rate')
COMPARISONS = {'gt': operator.gt, 'ge': operator.ge, 'lt': operator.lt,
               'le': operator.le, 'eq': operator.eq, 'ne': operator.ne}
INSUFFICIENT_DATA, OK, ALARM = 'insufficient data', 'ok', 'alarm'
# Statistics are read this often within a period (active_connections is averaged).
SAMPLE_SECONDS = 1.0
MEMBER_STATUSES_TAKING_TRAFFIC = ('ONLINE', 'NO_MONITOR')


def default_state_dir():
    return child_process.default_state_dir('alarms')


def auth_file(state_dir, alarm_id):
    """The stack's credentials for the alarm's requests (JSON {"token", "project_id"})."""
    return os.path.join(state_dir, '%s.auth' % alarm_id)


def auth_headers(credentials):
    """The headers that carry the stack's credentials (none for what is not known)."""
    headers = {}
    if credentials.get('token'):
        headers['X-Auth-Token'] = credentials['token']
    if credentials.get('project_id'):
        headers['X-Project-Id'] = credentials['project_id']
    return headers


# --- evaluation (pure) -------------------------------------------------------------------

def next_state(state, values, threshold, comparison, evaluation_periods):
    """The alarm's state after a new value (Aodh's rule over the last values).

    `values`: the most recent values, newest last; None is a period without data. Too
    few values keep the state (at first `insufficient data`): one failed read of the
    statistics does not flip a scaling decision."""
    recent = list(values)[-evaluation_periods:]
    if len(recent) < evaluation_periods or any(v is None for v in recent):
        return state
    breaching = [COMPARISONS[comparison](value, threshold) for value in recent]
    if all(breaching):
        return ALARM
    if not any(breaching):
        return OK
    return state


def actions_to_fire(previous, current, repeat_actions, measured=True):
    """Which actions ('alarm', 'ok' or None) an evaluation fires; none for a period
    without data (`measured` false), which changes no state either."""
    if current == INSUFFICIENT_DATA or not measured:
        return None
    if current != previous or repeat_actions:
        return current
    return None


def per_member(value, members):
    """The value divided by the members taking traffic (the value itself with none)."""
    serving = sum(1 for member in members
                  if member.get('admin_state_up', True)
                  and member.get('operating_status') in MEMBER_STATUSES_TAKING_TRAFFIC)
    return value / serving if serving else value


def meter_value(meter, samples, elapsed):
    """The period's value from its listener stats samples (dicts, oldest first)."""
    if not samples:
        return None
    if meter == 'active_connections':
        return sum(s['active_connections'] for s in samples) / len(samples)
    if len(samples) < 2 or elapsed <= 0:
        return None
    return max(0, samples[-1]['total_connections'] - samples[0]['total_connections']) / elapsed


# --- the program --------------------------------------------------------------------------

class Evaluator:
    def __init__(self, args, session=None, credentials=None):
        self.args = args
        self.session = session or requests.Session()
        # Only the API's requests carry them, not the POSTs to the action URLs.
        self.api_headers = auth_headers(credentials or {})
        self.state = INSUFFICIENT_DATA
        self.values = collections.deque(maxlen=args.evaluation_periods)

    def _get(self, path):
        response = self.session.get(self.args.endpoint.rstrip('/') + path,
                                    headers=self.api_headers, timeout=10)
        response.raise_for_status()
        return response.json()

    def _listener_stats(self):
        return self._get('/lbaas/listeners/%s/stats' % self.args.listener)['stats']

    def measure(self):
        """Sample the listener over one period; the meter's value (None without data)."""
        samples, started = [], time.monotonic()
        deadline = started + self.args.period
        while True:
            try:
                samples.append(self._listener_stats())
            except (requests.RequestException, KeyError, ValueError) as error:
                print('stats unavailable: %s' % error, flush=True)
            now = time.monotonic()
            if now >= deadline:
                break
            time.sleep(min(SAMPLE_SECONDS, deadline - now))
        value = meter_value(self.args.meter, samples, time.monotonic() - started)
        if value is not None and self.args.pool:
            try:
                members = self._get('/lbaas/pools/%s/members' % self.args.pool)['members']
            except (requests.RequestException, KeyError, ValueError) as error:
                print('members unavailable: %s' % error, flush=True)
                return None
            value = per_member(value, members)
        return value

    def evaluate(self, value):
        previous = self.state
        self.values.append(value)
        self.state = next_state(previous, self.values, self.args.threshold,
                                self.args.comparison_operator, self.args.evaluation_periods)
        fired = actions_to_fire(previous, self.state, self.args.repeat_actions,
                                measured=value is not None)
        if fired:
            self._notify(fired, previous, value)
        return fired

    def _notify(self, state, previous, value):
        urls = self.args.alarm_action if state == ALARM else self.args.ok_action
        reason = ('%s %s %s %s for %d period(s) of %ss' % (
            self.args.meter, 'per member' if self.args.pool else 'of the listener',
            '%.2f' % value, 'breaches' if state == ALARM else 'is within',
            self.args.evaluation_periods, self.args.period))
        body = {'alarm_name': self.args.name, 'alarm_id': self.args.alarm_id,
                'current': state, 'previous': previous, 'reason': reason,
                'reason_data': {'type': 'threshold', 'meter': self.args.meter,
                                'threshold': self.args.threshold, 'value': value}}
        for url in urls or ():
            try:
                response = self.session.post(url, json=body, timeout=30)
                print('%s -> POST %s: %d' % (state, url, response.status_code), flush=True)
            except requests.RequestException as error:
                print('%s -> POST %s failed: %s' % (state, url, error), flush=True)


def build_parser():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--alarm-id', required=True, help='Unique id; names the files.')
    parser.add_argument('--name', default='load-alarm', help='Alarm name, for notifications.')
    parser.add_argument('--state-dir', default=None)
    parser.add_argument('--endpoint', required=True,
                        help='Load balancer API endpoint, with its /v2.0 (or /v2).')
    parser.add_argument('--auth-file', default=None,
                        help='JSON {"token", "project_id"}: the credentials the load '
                             'balancer API requests carry.')
    parser.add_argument('--listener', required=True)
    parser.add_argument('--pool', default=None, help='Divide by this pool\'s serving members.')
    parser.add_argument('--meter', choices=METERS, default='active_connections')
    parser.add_argument('--threshold', type=float, required=True)
    parser.add_argument('--comparison-operator', choices=sorted(COMPARISONS), default='gt')
    parser.add_argument('--period', type=float, default=10.0)
    parser.add_argument('--evaluation-periods', type=int, default=1)
    parser.add_argument('--alarm-action', action='append', default=[])
    parser.add_argument('--ok-action', action='append', default=[])
    parser.add_argument('--repeat-actions', action='store_true')
    return parser


def read_credentials(path):
    if not path:
        return {}
    with open(path) as credentials:
        return json.load(credentials)


def main(argv=None):
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(arguments)
    state_dir = args.state_dir or default_state_dir()
    os.makedirs(state_dir, exist_ok=True)
    signal.signal(signal.SIGTERM, child_process.exit_on_sigterm)
    child_process.write_atomically(child_process.pid_file(state_dir, args.alarm_id),
                                   '%d\n' % os.getpid())
    child_process.record_restart(state_dir, args.alarm_id, MODULE,
                                 arguments + ([] if args.state_dir
                                              else ['--state-dir', state_dir]))
    evaluator = Evaluator(args, credentials=read_credentials(args.auth_file))

    def publish(value):
        child_process.write_atomically(
            child_process.ready_file(state_dir, args.alarm_id),
            json.dumps({'pid': os.getpid(), 'state': evaluator.state, 'value': value,
                        'evaluated_at': time.time()}))

    try:
        publish(None)
        print('evaluating %s of listener %s every %ss' % (args.meter, args.listener,
                                                         args.period), flush=True)
        while True:
            value = evaluator.measure()
            fired = evaluator.evaluate(value)
            print('value %s state %s%s' % (value, evaluator.state,
                                           ' (actions: %s)' % fired if fired else ''),
                  flush=True)
            publish(value)
    finally:
        child_process.remove_run_files(state_dir, args.alarm_id)


if __name__ == '__main__':
    main()
