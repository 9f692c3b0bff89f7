"""Data plane (issue 13 §2.3): what the load balancer costs per request.

A fast native backend (an HAProxy answering every request itself: bench/native.py) is
measured with wrk at 1, 16 and 64 kept-alive connections three ways, in rotating order
the minimal proxy and the load balancer back to back in each round (the machine is
shared and noisy: each ratio is the median of the rounds' pairs):

  direct          wrk -> backend
  minimal proxy   wrk -> a hand-written minimal HAProxy proxy config -> backend
                  (the physical limit of one proxy hop)
  load balancer   wrk -> the VIP of a load balancer made by a real controller
                  (HTTP listener, pool, the backend as its member) -> backend

Figures: requests/s and p50/p99 latency of each, and the load balancer's requests/s
as a ratio of the minimal proxy's (target: within 5%); and the proxy's CPU time per
request (all its processes' threads, from /proc), which the load of a shared machine
hardly moves, as the same ratio. Figures only.
"""
import glob
import os
import shutil
import statistics
import time

from bench import cpu
from bench import native
from bench import wrk
from bench import running
from tests.support import controller as controller_support
from tests.support import http_lb
from tests.support import octavia_api
from tests.support import ports
from tests.support import processes

SIZES = {
    'smoke': {'connections': [1, 16], 'seconds': 1, 'rounds': 1},
    'full': {'connections': [1, 16, 64], 'seconds': 3, 'rounds': 6},
}
DIRECT, MINIMAL, LB = 'direct', 'minimal proxy', 'load balancer'
TARGETS = (DIRECT, MINIMAL, LB)
WITHIN = 0.05


def figure(name, value, unit, target=None, met=None, ratio=None, peer=None, note=''):
    return {'name': name, 'value': value, 'unit': unit, 'target': target, 'met': met,
            'ratio': ratio, 'peer': peer, 'note': note}


def measure(targets, plan):
    """{(target, connections): [run per round]}: wrk's figures plus the proxy's CPU
    seconds per request. The minimal proxy and the load balancer always run one right
    after the other (their order alternating from round to round), so each round gives
    a pair measured under about the same load of the shared machine."""
    runs = {}
    for round_index in range(plan['rounds']):
        order = TARGETS if round_index % 2 == 0 else tuple(reversed(TARGETS))
        for connections in plan['connections']:
            for target in order:
                url, pids = targets[target]
                before = cpu.cpu_seconds(pids)
                result = wrk.run(url, connections, plan['seconds'])
                used = cpu.cpu_seconds(pids) - before
                result['cpu_per_request'] = used / result['requests'] if (
                    pids and result['requests']) else None
                runs.setdefault((target, connections), []).append(result)
    return runs


def median_of(results, key):
    values = [r[key] for r in results if r.get(key) is not None]
    return statistics.median(values) if values else None


def summary(results):
    """Medians over the rounds; errors summed."""
    return {'rps': median_of(results, 'rps'), 'p50': median_of(results, 'p50'),
            'p99': median_of(results, 'p99'),
            'cpu_per_request': median_of(results, 'cpu_per_request'),
            'errors': sum(r['errors'] for r in results),
            'spread': (min(r['rps'] for r in results), max(r['rps'] for r in results))}


def paired_ratio(runs, connections, key):
    """Median over the rounds of LB / minimal proxy, each round's pair measured
    back to back."""
    ratios = [lb[key] / minimal[key]
              for lb, minimal in zip(runs[(LB, connections)], runs[(MINIMAL, connections)])
              if lb.get(key) and minimal.get(key)]
    return statistics.median(ratios) if ratios else None


def figures_for(connections, by_target, runs):
    direct, minimal, lb = by_target[DIRECT], by_target[MINIMAL], by_target[LB]
    ratio = paired_ratio(runs, connections, 'rps')

    def rps_note(measured):
        note = 'median; min-max %.0f-%.0f' % measured['spread']
        if measured['errors']:
            note += '; %d errors' % measured['errors']
        return note

    figures = [
        figure('req/s direct to the backend, %d conns' % connections,
               round(direct['rps']), 'req/s', note=rps_note(direct)),
        figure('req/s through the minimal proxy, %d conns' % connections,
               round(minimal['rps']), 'req/s', ratio=round(minimal['rps'] / direct['rps'], 3),
               peer='direct', note=rps_note(minimal)),
        figure('req/s through the LB, %d conns' % connections, round(lb['rps']), 'req/s',
               target='within 5% of the minimal proxy',
               met=None if ratio is None else ratio >= 1 - WITHIN,
               ratio=None if ratio is None else round(ratio, 3), peer=MINIMAL,
               note=rps_note(lb) + '; ratio: median of the rounds\' back-to-back pairs'),
    ]
    cpu_ratio = paired_ratio(runs, connections, 'cpu_per_request')
    if lb['cpu_per_request'] and minimal['cpu_per_request']:
        figures.append(figure(
            'proxy CPU per request through the LB, %d conns' % connections,
            round(lb['cpu_per_request'] * 1e6, 2), 'us',
            target='within 5% of the minimal proxy',
            met=None if cpu_ratio is None else cpu_ratio <= 1 + WITHIN,
            ratio=None if cpu_ratio is None else round(cpu_ratio, 3), peer=MINIMAL,
            note='HAProxy master + workers; minimal proxy %.2f us (less noisy than req/s '
            'on a shared machine)' % (minimal['cpu_per_request'] * 1e6)))
    for key in ('p50', 'p99'):
        figures.append(figure(
            '%s latency through the LB, %d conns' % (key, connections),
            round(lb[key] * 1000, 3), 'ms',
            ratio=round(lb[key] / minimal[key], 3) if minimal[key] else None, peer=MINIMAL,
            note='minimal proxy %.3f ms, direct %.3f ms' % (minimal[key] * 1000,
                                                            direct[key] * 1000)))
    return figures


def rendered_config(state_dir, lb_id):
    found = glob.glob(os.path.join(state_dir, 'amphorae', '**', lb_id, '**', 'haproxy.cfg'),
                      recursive=True) or glob.glob(
        os.path.join(state_dir, '**', lb_id, '**', 'haproxy.cfg'), recursive=True)
    if not found:
        return None
    with open(found[0]) as config:
        return config.read()


def run(size):
    plan = SIZES[size]
    wrk.binary()
    subnet = ports.random_loopback_subnet().rsplit('.', 1)[0]
    backend_address, proxy_address = subnet + '.1', subnet + '.2'
    state_dir = controller_support.short_state_dir()
    started = []
    controller = None
    try:
        backend = native.backend(backend_address, ports.free_port(backend_address))
        started.append(backend)
        backend.start()
        proxy = native.minimal_proxy(proxy_address, ports.free_port(proxy_address),
                                     backend_address, backend.port)
        started.append(proxy)
        proxy.start()
        controller = running.controller(
            os.path.join(state_dir, 'state')).start()
        api = octavia_api.OctaviaApi(controller.url)
        lb, _, _, lb_url = http_lb.build_http_lb(
            api, [{'address': backend_address, 'port': backend.port}],
            health_monitor=False)
        config = rendered_config(controller.state_dir, lb['id'])
        lb_pids = cpu.named(processes.with_argument_containing(
            controller.state_dir + '/'), 'haproxy')
        targets = {DIRECT: (backend.url, []), MINIMAL: (proxy.url, [proxy.process.pid]),
                   LB: (lb_url, lb_pids)}
        controller_cpu = cpu.process_cpu_seconds(controller.process.pid)
        began = time.monotonic()
        runs = measure(targets, plan)
        controller_share = (cpu.process_cpu_seconds(controller.process.pid)
                            - controller_cpu) / (time.monotonic() - began)
        summaries = {key: summary(results) for key, results in runs.items()}
        figures = []
        for connections in plan['connections']:
            figures.extend(figures_for(connections, {
                target: summaries[(target, connections)] for target in TARGETS}, runs))
        figures.append(figure(
            'controller CPU while the benchmark ran', round(controller_share * 100, 1),
            '% of a core', note='its health loop reading HAProxy (health_interval %g s): '
            'it shares this 2-core machine with wrk, the backend and the proxies'
            % running.HEALTH_INTERVAL))
        return {
            'title': 'Data plane', 'section': '2.3', 'figures': figures,
            'series': wrk.series('Data plane', 'dataplane', TARGETS, plan['connections'],
                                summaries, ('rps', 'p50', 'p99')),
            'notes': ['wrk %ds per run, %d round(s), medians; threads = min(connections, '
                      '2). Backend: HAProxy `http-request return` (bench/native.py).'
                      % (plan['seconds'], plan['rounds'])],
            'configs': {'minimal proxy': proxy_config_text(proxy),
                        'load balancer (rendered by the controller)': config},
        }
    finally:
        if controller is not None:
            controller.stop()
        for process in reversed(started):
            process.stop()
        shutil.rmtree(state_dir, ignore_errors=True)


def proxy_config_text(proxy):
    with open(proxy.config_path) as config:
        return config.read()
