"""Health checks of UDP pools' members, run by the controller from the host where
nftables serves UDP (amphora/udp_dataplane.py): what keepalived does for Octavia's
LVS real servers, with the checks of health/member_probes.py.

Each member of a UDP pool with an enabled monitor is checked every `delay`
seconds (each check on a thread of its own pool: a UDP-CONNECT check of a silent
member takes its whole `timeout`), and goes, as HAProxy's and keepalived's checks
do, out of rotation after `max_retries_down` failed checks in a row and back in
after `max_retries` good ones. Until its first verdict a member is in rotation
(as keepalived's real servers start), unless its stored status is ERROR (a
controller restart keeps a dead member out). Members of pools without a monitor
are never checked and always in rotation (NO_MONITOR).
"""
import concurrent.futures
import dataclasses
import time

from heat_lbaas import octavia_vocabulary as octavia
from heat_lbaas.controller import model
from heat_lbaas.controller.amphora import nft_render
from heat_lbaas.controller.health import member_probes

WORKERS = 8


@dataclasses.dataclass(frozen=True)
class Check:
    """One member's check as its monitor defines it (a change starts it afresh)."""
    kind: str
    address: str
    port: int
    timeout: float
    delay: float
    rise: int
    fall: int
    url_path: str = '/'
    expected_codes: tuple = (200,)

    def run(self):
        if self.kind == octavia.UDP_CONNECT:
            return member_probes.udp_member_up(self.address, self.port, self.timeout)
        if self.kind == 'TCP':
            return member_probes.tcp_member_up(self.address, self.port, self.timeout)
        if self.kind == 'HTTP':
            return member_probes.http_member_up(self.address, self.port, self.timeout,
                                                self.url_path, self.expected_codes)
        raise ValueError('no check of %s monitors' % self.kind)


def checks_of(tree):
    """{member id: Check} of the members of the tree's UDP pools with an enabled
    monitor."""
    checks = {}
    for listener, pool in nft_render.served_listeners(tree):
        monitor = tree.healthmonitor_of(pool['id'])
        if monitor is None or not monitor['admin_state_up'] or \
                monitor['provisioning_status'] not in nft_render.LIVE:
            continue
        for member in tree.members_of(pool['id']):
            if member['provisioning_status'] not in nft_render.LIVE or \
                    not member['admin_state_up']:
                continue
            checks[member['id']] = Check(
                kind=monitor['type'],
                address=member['monitor_address'] or member['address'],
                port=member['monitor_port'] or member['protocol_port'],
                timeout=monitor['timeout'], delay=monitor['delay'],
                rise=monitor['max_retries'], fall=monitor['max_retries_down'],
                url_path=monitor['url_path'] or '/',
                expected_codes=model.expected_status_codes(monitor['expected_codes']))
    return checks


@dataclasses.dataclass
class _State:
    check: Check
    up: bool
    verdict: bool = False       # a first result came
    good: int = 0               # checks in a row that passed
    bad: int = 0                # ... that failed
    due: float = 0.0
    running: concurrent.futures.Future = None

    def record(self, passed):
        self.verdict = True
        if passed:
            self.good, self.bad = self.good + 1, 0
            if not self.up and self.good >= self.check.rise:
                self.up = True
        else:
            self.good, self.bad = 0, self.bad + 1
            if self.up and self.bad >= self.check.fall:
                self.up = False


class UdpMemberChecks:
    def __init__(self, clock=time.monotonic, workers=WORKERS):
        self._clock = clock
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix='udp-check')
        self._states = {}       # lb id -> {member id: _State}

    def poll(self, tree):
        """Start the checks that are due, take in those that finished; returns
        ({member id: 'UP' or 'DOWN'} of the members with a verdict, as HAProxy's
        check statuses read; the ids of the members out of rotation)."""
        lb_id = tree.loadbalancer['id']
        now = self._clock()
        previous = self._states.get(lb_id, {})
        members = {m['id']: m for m in tree.members}
        states = {}
        for member_id, check in checks_of(tree).items():
            state = previous.get(member_id)
            if state is None or state.check != check:
                state = _State(check, up=members[member_id]['operating_status'] != 'ERROR')
            states[member_id] = state
            if state.running is not None and state.running.done():
                try:
                    state.record(state.running.result())
                except Exception:
                    state.record(False)
                state.running = None
                state.due = now + check.delay
            if state.running is None and now >= state.due:
                state.running = self._pool.submit(check.run)
        self._states[lb_id] = states
        statuses = {member_id: 'UP' if state.up else 'DOWN'
                    for member_id, state in states.items() if state.verdict}
        return statuses, {member_id for member_id, state in states.items()
                          if not state.up}

    def keep_only(self, lb_ids):
        """Forget the members of load balancers other than `lb_ids` (deleted)."""
        for lb_id in set(self._states) - set(lb_ids):
            del self._states[lb_id]

    def stop(self):
        self._pool.shutdown(wait=False, cancel_futures=True)
