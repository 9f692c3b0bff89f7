"""Scale latency (issue 13 §2.2): on a devcloud stack of templates/autoscaling_web.yaml
(one member, cooldowns 0), the time from the POST on the scale-up signal URL to the new
member answering through the VIP, and from the POST on the scale-down signal URL to the
leaving member out of rotation (no new request reaches it), with no failed request,
over several runs (median and spread).

Through the VIP a probe sends one request at a time, each on a new connection (a kept
connection would stay with the HAProxy worker of the configuration before a reload), and
notes when it sent it, when the answer came and who answered (`served-by: ...`). Two
clients keep slow requests (`?sleep=1`) in flight all along: a request that fails
anywhere is counted.

Where the time goes: each run's milestones, from the Heat and controller logs of the
devcloud (log_timeline.py) and the new web server's ready file, in order: the signal at
Heat's API, the scaling policy, the group's nested stack update, the new member's nested
stack, the web server's create and start, the member's create and its POST to the
load-balancer API, then the probe's first answer from it (the controller applying the
change: HAProxy's reload). The medians of the phases between them are the profile.
"""
import dataclasses
import pathlib
import re
import statistics
import threading
import time

import requests

from bench.log_timeline import Milestone, find_milestones, phases, read_lines
from tempest_plugin.traffic import RequestLoad
from bench import running
from tests.support import ports

ROOT = pathlib.Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / 'templates' / 'autoscaling_web.yaml'
ENVIRONMENT = ROOT / 'environments' / 'devcloud.yaml'
STACK = 'scale'
TARGET_SECONDS = 1.0
# Between two probe requests: fine enough to time a change to a few tens of ms.
PROBE_PAUSE_SECONDS = 0.01
STEP_TIMEOUT = 120
# How long only one member must answer for a scale-in to count as out of rotation.
SETTLED_SECONDS = 2.0
# Slow requests in flight during every change.
SLOW_CLIENTS = ('?sleep=1', '?sleep=1')


class Probe:
    """Requests through the VIP one after another, each on a new connection:
    [(sent, answered, who)] with who the answer's identity or 'ERROR: ...'."""

    def __init__(self, url):
        self.url = url
        self.records = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self):
        while not self._stop.is_set():
            sent = time.time()
            try:
                response = requests.get(self.url, timeout=10, headers={'Connection': 'close'})
                who = (response.text.splitlines() or [''])[0] if response.status_code == 200 \
                    else 'ERROR: HTTP %d' % response.status_code
            except requests.RequestException as error:
                who = 'ERROR: %r' % error
            with self._lock:
                self.records.append((sent, time.time(), who))
            self._stop.wait(PROBE_PAUSE_SECONDS)

    def since(self, moment):
        with self._lock:
            return [record for record in self.records if record[0] >= moment]

    def wait_for(self, condition, since, timeout=STEP_TIMEOUT):
        """The first record sent after `since` for which condition(record, later records)
        holds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            records = self.since(since)
            for index, record in enumerate(records):
                if condition(record, records[index + 1:]):
                    return record
            time.sleep(0.05)
        raise TimeoutError('no answer through the VIP met the condition within %d s'
                           % timeout)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=30)


def member_stack(identity):
    """The member's nested stack of `served-by: <stack>/server <address>:<port>`."""
    return identity.split()[1].split('/')[0]


def group_stack(identity):
    """The group's nested stack: the member's stack name less its two last parts."""
    return member_stack(identity).rsplit('-', 2)[0]


def failed(records):
    return [who for _, _, who in records if who.startswith('ERROR')]


def scale_up_milestones(member, group):
    return [
        Milestone('signal at the Heat API', r'Processing request: POST \S*/scale_up/signal'),
        Milestone('scaling policy', r'scale_up alarm, adjusting group'),
        Milestone('group update', r'Updating stack %s$' % re.escape(group)),
        Milestone("member's nested stack", r'Creating stack %s$' % re.escape(member)),
        Milestone('web server create',
                  r'creating DevWebServer "server" Stack "%s"' % re.escape(member)),
        Milestone('member create', r'creating Member "member" Stack "%s"' % re.escape(member)),
        Milestone('member POST', r'POST /v2.0/lbaas/pools/\S+/members 201'),
    ]


def scale_down_milestones(member, group):
    return [
        Milestone('signal at the Heat API', r'Processing request: POST \S*/scale_down/signal'),
        Milestone('scaling policy', r'scale_down alarm, adjusting group'),
        Milestone('group update', r'Updating stack %s$' % re.escape(group)),
        Milestone("member's nested stack delete", r'Deleting stack %s$' % re.escape(member)),
        Milestone('member delete', r'deleting Member "member" .*Stack "%s"' % re.escape(member)),
        Milestone('drain PUT (weight 0)', r'PUT /v2.0/lbaas/pools/\S+/members/\S+ 200'),
    ]


def ready_file_time(state_dir, identity, since):
    """When the web server answering as `identity` wrote its ready file."""
    address_port = identity.split()[-1]
    for ready in (state_dir / 'webservers').glob('*.ready'):
        try:
            if ready.stat().st_mtime >= since and address_port in ready.read_text():
                return ready.stat().st_mtime
        except FileNotFoundError:
            continue
    return None


@dataclasses.dataclass
class Step:
    seconds: float
    failures: list
    phases: list


class ScaleRun:
    def __init__(self, cloud, probe, urls):
        self.cloud, self.probe, self.urls = cloud, probe, urls
        # Who serves now (identities): known from the start and from each step, not
        # sampled, so a member the probe happened not to reach is not taken for new.
        self.members = set()
        self.logs = [cloud.state_dir / 'logs' / 'heat.log',
                     cloud.state_dir / 'logs' / 'controller.log']

    def wait_for_group(self, group, since):
        """Until the group's nested stack finished its update (after `since`)."""
        deadline = time.monotonic() + STEP_TIMEOUT
        while time.monotonic() < deadline:
            status, reason = self.cloud.heat.status(group)
            if status.endswith('_FAILED'):
                raise RuntimeError('group %s: %s %s' % (group, status, reason))
            if status.endswith('_COMPLETE'):
                return time.time()
            time.sleep(0.1)
        raise TimeoutError('group %s still updating after %d s' % (group, STEP_TIMEOUT))

    def serving(self, since):
        return {who for _, _, who in self.probe.since(since) if not who.startswith('ERROR')}

    def settle(self):
        """The members serving once the stack is steady (the first step's start)."""
        began = time.time()
        time.sleep(SETTLED_SECONDS)
        self.members = self.serving(began)

    def scale_up(self):
        before = set(self.members)
        signalled = time.time()
        requests.post(self.urls['scale_up_url'], timeout=30).raise_for_status()
        first = self.probe.wait_for(
            lambda record, later: not record[2].startswith('ERROR') and record[2] not in before,
            signalled)
        identity = first[2]
        self.members.add(identity)
        group = group_stack(identity)
        done = self.wait_for_group(group, signalled)
        lines = read_lines(self.logs, signalled, done)
        found = find_milestones(lines, scale_up_milestones(member_stack(identity), group),
                                signalled)
        points = [('signal POST', signalled)] + [
            (m.name, found.get(m.name)) for m in scale_up_milestones('', '')[:5]]
        points.append(('web server ready', ready_file_time(
            self.cloud.state_dir, identity, signalled)))
        points += [(name, found.get(name)) for name in ('member create', 'member POST')]
        points.append(('answering through the VIP', first[1]))
        return Step(first[1] - signalled, failed(self.probe.since(signalled)),
                    phases(points))

    def scale_down(self):
        before = set(self.members)
        signalled = time.time()
        requests.post(self.urls['scale_down_url'], timeout=30).raise_for_status()
        # The member that stays: the only one of before answering for SETTLED_SECONDS
        # (the leaving one drains for drain_seconds, so the group is still updating).
        stays = self.probe.wait_for(
            lambda record, later: record[2] in before and later
            and later[-1][0] - record[0] >= SETTLED_SECONDS
            and {w for _, _, w in later if w in before} <= {record[2]}, signalled)
        group = group_stack(stays[2])
        done = self.wait_for_group(group, signalled)
        leaving = before - {stays[2]}
        self.members = {stays[2]}
        # Out of rotation: the first request sent after the leaving member's last answer.
        records = self.probe.since(signalled)
        last = max((r[0] for r in records if r[2] in leaving), default=signalled)
        out = min((r[0] for r in records if r[0] > last), default=last)
        identity = next(iter(leaving))
        lines = read_lines(self.logs, signalled, done)
        milestones = scale_down_milestones(member_stack(identity), group)
        found = find_milestones(lines, milestones, signalled)
        points = [('signal POST', signalled)] + [(m.name, found.get(m.name))
                                                 for m in milestones]
        points.append(('out of rotation', out))
        return Step(out - signalled, failed(records), phases(points))


def measure(runs, up_options=(), keep_logs=None, out=print):
    """[{'up': Step, 'down': Step}] of `runs` scale-ups and scale-downs."""
    results = []
    with running.devcloud('hlb-bench-scale-', keep_logs) as cloud:
        cloud.up(*up_options)
        cloud.heat.create(STACK, TEMPLATE, [ENVIRONMENT], {
            'min_size': 1, 'desired_size': 1, 'max_size': 2, 'scale_up_cooldown': 0,
            'scale_down_cooldown': 0, 'lb_port': ports.free_port()})
        urls = {key: cloud.heat.output(STACK, key)
                for key in ('lb_url', 'scale_up_url', 'scale_down_url')}
        with Probe(urls['lb_url']) as probe, \
                RequestLoad(urls['lb_url'], paths=SLOW_CLIENTS) as slow:
            scale = ScaleRun(cloud, probe, urls)
            scale.settle()
            for index in range(runs):
                up = scale.scale_up()
                # Heat accepts the next signal once the policy has finished its step.
                time.sleep(1)
                down = scale.scale_down()
                time.sleep(1)
                results.append({'up': up, 'down': down})
                out('  run %d: scale-up %.2f s, scale-down %.2f s, failed %d' % (
                    index + 1, up.seconds, down.seconds, len(up.failures + down.failures)),
                    flush=True)
        for result in results:
            result['slow_failures'] = slow.failures
        cloud.heat.delete(STACK)
    return results


def spread(values):
    return 'min %.2f, max %.2f, stdev %.2f over %d runs' % (
        min(values), max(values), statistics.pstdev(values), len(values))


def profile_figures(steps, direction):
    """The median of each phase over the runs, in order."""
    by_phase = {}
    for step in steps:
        for earlier, later, seconds in step.phases:
            by_phase.setdefault((earlier, later), []).append(seconds)
    return [{'name': '%s phase: %s -> %s' % (direction, earlier, later),
             'value': round(statistics.median(values), 3), 'unit': 's', 'target': None,
             'met': None, 'ratio': None, 'peer': None,
             'note': 'median of %d; %s' % (len(values), spread(values))}
            for (earlier, later), values in by_phase.items()]


def contract_result(results):
    ups = [r['up'] for r in results]
    downs = [r['down'] for r in results]
    failures = sum(len(s.failures) for s in ups + downs) + (
        len(results[0]['slow_failures']) if results else 0)
    figures = []
    for name, steps in (('scale-up: signal to the new member answering through the VIP',
                         ups),
                        ('scale-down: signal to the member out of rotation', downs)):
        values = [s.seconds for s in steps]
        median = statistics.median(values)
        figures.append({'name': name + ' (median)', 'value': round(median, 3), 'unit': 's',
                        'target': 'median < %.0f s' % TARGET_SECONDS,
                        'met': median < TARGET_SECONDS, 'ratio': None, 'peer': None,
                        'note': spread(values)})
    figures.append({'name': 'failed requests during the scale steps', 'value': failures,
                    'unit': 'requests', 'target': '0', 'met': failures == 0, 'ratio': None,
                    'peer': None, 'note': 'probe and %d slow clients' % len(SLOW_CLIENTS)})
    figures += profile_figures(ups, 'scale-up') + profile_figures(downs, 'scale-down')
    runs = list(range(1, len(results) + 1))
    return {'title': 'Scale latency', 'section': '2.2', 'figures': figures,
            'series': [{'plot': 'scale_latency', 'title': 'Scale latency per run',
                        'x_label': 'run', 'y_label': 'seconds',
                        'lines': [{'label': 'scale-up', 'x': runs,
                                   'y': [round(s.seconds, 3) for s in ups]},
                                  {'label': 'scale-down', 'x': runs,
                                   'y': [round(s.seconds, 3) for s in downs]}]}]}


def run(size):
    return contract_result(measure(1 if size == 'smoke' else 10))
