"""Data plane (issue 13 §2.3): what the load balancer costs per request.

A fast native backend (an HAProxy answering every request itself: bench/native.py) is
measured with wrk at 1, 16 and 64 kept-alive connections three ways, in rotating order
within each round (the machine is shared and noisy: ratios from the same rounds):

  direct          wrk -> backend
  minimal proxy   wrk -> a hand-written minimal HAProxy proxy config -> backend
                  (the physical limit of one proxy hop)
  load balancer   wrk -> the VIP of a load balancer made by a real controller
                  (HTTP listener, pool, the backend as its member) -> backend

Figures: requests/s and p50/p99 latency of each, and the load balancer's requests/s
as a ratio of the minimal proxy's (target: within 5%). Figures only.
"""
import glob
import os
import shutil
import statistics

from bench import native
from bench import wrk
from tests.support import controller as controller_support
from tests.support import http_lb
from tests.support import octavia_api
from tests.support import ports

SIZES = {
    'smoke': {'connections': [1, 16], 'seconds': 1, 'rounds': 1},
    'full': {'connections': [1, 16, 64], 'seconds': 5, 'rounds': 3},
}
DIRECT, MINIMAL, LB = 'direct', 'minimal proxy', 'load balancer'
TARGETS = (DIRECT, MINIMAL, LB)
WITHIN = 0.05


def figure(name, value, unit, target=None, met=None, ratio=None, peer=None, note=''):
    return {'name': name, 'value': value, 'unit': unit, 'target': target, 'met': met,
            'ratio': ratio, 'peer': peer, 'note': note}


def measure(urls, plan):
    """{(target, connections): [wrk result per round]}, the targets' order rotating
    from round to round so that none always runs first (or right after another)."""
    runs = {}
    for round_index in range(plan['rounds']):
        for connections in plan['connections']:
            order = TARGETS[round_index % 3:] + TARGETS[:round_index % 3]
            for target in order:
                runs.setdefault((target, connections), []).append(
                    wrk.run(urls[target], connections, plan['seconds']))
    return runs


def summary(results):
    """Medians over the rounds of requests/s, p50 and p99; errors summed."""
    return {'rps': statistics.median(r['rps'] for r in results),
            'p50': statistics.median(r['p50'] for r in results),
            'p99': statistics.median(r['p99'] for r in results),
            'errors': sum(r['errors'] for r in results),
            'spread': (min(r['rps'] for r in results), max(r['rps'] for r in results))}


def figures_for(connections, by_target):
    direct, minimal, lb = by_target[DIRECT], by_target[MINIMAL], by_target[LB]
    ratio = lb['rps'] / minimal['rps'] if minimal['rps'] else None

    def rps_note(measured):
        note = 'min-max %.0f-%.0f' % measured['spread']
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
               note=rps_note(lb)),
    ]
    for key in ('p50', 'p99'):
        figures.append(figure(
            '%s latency through the LB, %d conns' % (key, connections),
            round(lb[key] * 1000, 3), 'ms',
            ratio=round(lb[key] / minimal[key], 3) if minimal[key] else None, peer=MINIMAL,
            note='minimal proxy %.3f ms, direct %.3f ms' % (minimal[key] * 1000,
                                                            direct[key] * 1000)))
    return figures


def series(connections, summaries):
    def lines(key, scale=1.0):
        return [{'label': target, 'x': connections,
                 'y': [summaries[(target, c)][key] * scale for c in connections]}
                for target in TARGETS]
    return [
        {'plot': 'dataplane_rps', 'title': 'Data plane: requests/s (wrk, kept-alive)',
         'x_label': 'connections', 'y_label': 'req/s', 'lines': lines('rps')},
        {'plot': 'dataplane_p50', 'title': 'Data plane: p50 latency',
         'x_label': 'connections', 'y_label': 'ms', 'lines': lines('p50', 1000)},
        {'plot': 'dataplane_p99', 'title': 'Data plane: p99 latency',
         'x_label': 'connections', 'y_label': 'ms', 'lines': lines('p99', 1000)},
    ]


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
        controller = controller_support.RunningController(
            os.path.join(state_dir, 'state')).start()
        api = octavia_api.OctaviaApi(controller.url)
        lb, _, _, lb_url = http_lb.build_http_lb(
            api, [{'address': backend_address, 'port': backend.port}],
            health_monitor=False)
        config = rendered_config(controller.state_dir, lb['id'])
        urls = {DIRECT: backend.url, MINIMAL: proxy.url, LB: lb_url}
        runs = measure(urls, plan)
        summaries = {key: summary(results) for key, results in runs.items()}
        figures = []
        for connections in plan['connections']:
            figures.extend(figures_for(connections, {
                target: summaries[(target, connections)] for target in TARGETS}))
        return {
            'title': 'Data plane', 'section': '2.3', 'figures': figures,
            'series': series(plan['connections'], summaries),
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
