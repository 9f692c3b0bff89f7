"""The devcloud's web server (issue 13 §1): `LBaaS::Dev::WebServer`'s program
(heat_lbaas.devcloud.webserver, an asyncio protocol on uvloop) must not be what limits
a traffic figure.

One web server process, measured with wrk at 1 and 16 kept-alive connections two ways,
in rotating order within each round (the machine is shared and noisy):

  direct          wrk -> the web server
  load balancer   wrk -> the VIP of a load balancer made by a real controller (HTTP
                  listener, pool, the web server as its only member) -> the web server

Then 1,000 connections through the load balancer: once with wrk (1,000 kept-alive
connections for some seconds; wrk's answer timeout raised to 15 s) and once all opened
together and held, each then sending one `?sleep=1` request
(tests/support/concurrent_requests.py), so all are in flight at the same moment.
Figures: requests/s, p50/p99 latency, the server's requests per CPU second (what it
would do on an idle core), errors. Targets: >= 5,000 req/s direct at 16
connections; 0 errors at 1,000 connections. Figures only: nothing here asserts.
"""
import glob
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.parse
import uuid

from bench import cpu
from bench import wrk
from heat_lbaas.devcloud import webserver
from tests.support import amphora
from tests.support import concurrent_requests
from tests.support import controller as controller_support
from tests.support import http_lb
from tests.support import octavia_api
from tests.support import ports

SIZES = {
    'smoke': {'connections': [1, 16], 'seconds': 1, 'rounds': 1, 'many': 100,
              'many_seconds': 1},
    'full': {'connections': [1, 16], 'seconds': 5, 'rounds': 3, 'many': 1000,
             'many_seconds': 5},
}
DIRECT, LB = 'direct', 'load balancer'
TARGETS = (DIRECT, LB)
RPS_TARGET = 5000
RPS_TARGET_CONNECTIONS = 16
# wrk counts an answer slower than its timeout (default 2 s) as an error. With 1,000
# connections each waits for the 999 others' answers: on a loaded shared machine that
# can pass 2 s without anything failing, so the 1,000-connection run waits longer.
MANY_TIMEOUT_SECONDS = 15
SOCKET_ERRORS = re.compile(r'Socket errors: .*')


def figure(name, value, unit, target=None, met=None, ratio=None, peer=None, note=''):
    return {'name': name, 'value': value, 'unit': unit, 'target': target, 'met': met,
            'ratio': ratio, 'peer': peer, 'note': note}


def measure(urls, server_pid, plan):
    """{(target, connections): [wrk result per round]}, each result with the server's
    CPU seconds during the run; the targets' order alternates from round to round."""
    runs = {}
    for round_index in range(plan['rounds']):
        for connections in plan['connections']:
            order = TARGETS[round_index % 2:] + TARGETS[:round_index % 2]
            for target in order:
                before = cpu.process_cpu_seconds(server_pid)
                result = wrk.run(urls[target], connections, plan['seconds'])
                result['cpu'] = cpu.process_cpu_seconds(server_pid) - before
                runs.setdefault((target, connections), []).append(result)
    return runs


def summary(results):
    """Medians over the rounds; errors summed; requests per CPU second of the server
    over all rounds."""
    cpu_total = sum(r['cpu'] for r in results)
    return {'rps': statistics.median(r['rps'] for r in results),
            'p50': statistics.median(r['p50'] for r in results),
            'p99': statistics.median(r['p99'] for r in results),
            'errors': sum(r['errors'] for r in results),
            'per_cpu_second': (sum(r['requests'] for r in results) / cpu_total
                               if cpu_total else None),
            'spread': (min(r['rps'] for r in results), max(r['rps'] for r in results))}


def figures_for(connections, by_target):
    figures = []
    for target in TARGETS:
        measured = by_target[target]
        note = 'min-max %.0f-%.0f; %d errors' % (*measured['spread'], measured['errors'])
        if measured['per_cpu_second']:
            note += '; server: %.0f req per CPU second' % measured['per_cpu_second']
        where = 'direct to one server' if target == DIRECT else 'through one LB'
        targeted = target == DIRECT and connections == RPS_TARGET_CONNECTIONS
        figures.append(figure(
            'req/s %s, %d conns' % (where, connections), round(measured['rps']), 'req/s',
            target='>= %d req/s' % RPS_TARGET if targeted else None,
            met=measured['rps'] >= RPS_TARGET if targeted else None, note=note))
        for key in ('p50', 'p99'):
            figures.append(figure('%s latency %s, %d conns' % (key, where, connections),
                                  round(measured[key] * 1000, 3), 'ms'))
    return figures


def many_connections_figures(lb_url, plan):
    """wrk with `many` kept-alive connections through the load balancer, and `many`
    connections held open together, each sending one slow request."""
    count = plan['many']
    concurrent_requests.allow_open_files(2 * count + 100)     # wrk inherits the limit
    held = wrk_many(lb_url, count, plan['many_seconds'])
    vip = urllib.parse.urlsplit(lb_url)
    began = time.monotonic()
    answers, errors = concurrent_requests.get_all_at_once(
        vip.hostname, vip.port, '/?sleep=1', count)
    seconds = time.monotonic() - began
    failed = len(errors) + sum(1 for a in answers if a.status != 200)
    return [
        figure('errors, %d kept-alive conns through one LB (wrk %ds)'
               % (count, plan['many_seconds']), held['errors'], 'errors',
               target='0 errors', met=held['errors'] == 0,
               note='%.0f req/s, p50 %.1f ms, p99 %.1f ms, %d requests; %s'
               % (held['rps'], held['p50'] * 1000, held['p99'] * 1000, held['requests'],
                  held['socket_errors'])),
        figure('errors, %d conns held open at once through one LB, each one ?sleep=1'
               % count, failed, 'errors', target='0 errors', met=failed == 0,
               note='%d answered 200 in %.1f s%s' % (
                   sum(1 for a in answers if a.status == 200), seconds,
                   '; first error: %s' % errors[0] if errors else '')),
    ]


def wrk_many(url, connections, seconds):
    """bench.wrk.run's figures for a wrk run with MANY_TIMEOUT_SECONDS, plus its socket
    errors line (connect, read, write, timeout)."""
    completed = subprocess.run(
        [wrk.binary(), '-t2', '-c%d' % connections, '-d%ds' % seconds,
         '--timeout', '%ds' % MANY_TIMEOUT_SECONDS, '--latency', url],
        capture_output=True, text=True, timeout=seconds + 60, check=True)
    parsed = wrk.parse(completed.stdout)
    socket_errors = SOCKET_ERRORS.search(completed.stdout)
    parsed['socket_errors'] = socket_errors.group(0) if socket_errors else 'no socket errors'
    return parsed


def connection_limits(state_dir, lb_id, listener_id):
    """The `maxconn` lines of the load balancer's rendered HAProxy config and the
    listener's session limit HAProxy reports (`show stat` slim of its frontend)."""
    found = glob.glob(os.path.join(state_dir, '**', lb_id, '**', 'haproxy.cfg'),
                      recursive=True)
    lines = 'config not found'
    if found:
        with open(found[0]) as config:
            lines = '; '.join(' '.join(line.split()) for line in config
                              if line.split()[:1] == ['maxconn']) or 'no maxconn line'
    frontend = [row for row in amphora.AmphoraProbe(state_dir).show_stat(lb_id)
                if row['pxname'] == listener_id and row['svname'] == 'FRONTEND']
    return '%s; the frontend\'s session limit: %s' % (
        lines, frontend[0]['slim'] if frontend else 'not reported')


def start_server(state_dir):
    """One web server on an address and port of this run's own: (server id, ready)."""
    server_id = str(uuid.uuid4())
    webserver.spawn(server_id, 'bench', 'server', state_dir=state_dir,
                    address_range=ports.random_loopback_subnet(),
                    port=ports.free_port())
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready = webserver.read_ready(state_dir, server_id)
        if ready:
            return server_id, ready
        time.sleep(0.05)
    raise RuntimeError('web server did not start: %s'
                       % webserver.read_log_tail(state_dir, server_id))


def run(size):
    plan = SIZES[size]
    wrk.binary()
    state_dir = controller_support.short_state_dir()
    servers_dir = tempfile.mkdtemp(prefix='bench-webservers-')
    server_id = controller = None
    try:
        server_id, ready = start_server(servers_dir)
        controller = controller_support.RunningController(
            os.path.join(state_dir, 'state')).start()
        api = octavia_api.OctaviaApi(controller.url)
        lb, listener, _, lb_url = http_lb.build_http_lb(
            api, [{'address': ready['address'], 'port': ready['port']}],
            health_monitor=False)
        runs = measure({DIRECT: ready['url'], LB: lb_url}, ready['pid'], plan)
        summaries = {key: summary(results) for key, results in runs.items()}
        figures = []
        for connections in plan['connections']:
            figures.extend(figures_for(connections, {
                target: summaries[(target, connections)] for target in TARGETS}))
        figures.extend(many_connections_figures(lb_url, plan))
        return {
            'title': 'Devcloud web server', 'section': '1', 'figures': figures,
            'series': wrk.series('Devcloud web server', 'webserver', TARGETS, plan['connections'],
                                summaries, ('rps', 'p99')),
            'notes': [
                'One LBaaS::Dev::WebServer process (asyncio on uvloop, one event loop). '
                'wrk %ds per '
                'run, %d round(s), medians; threads = min(connections, 2).'
                % (plan['seconds'], plan['rounds']),
                'The load balancer (listener connection_limit -1): %s.'
                % connection_limits(controller.state_dir, lb['id'], listener['id'])],
        }
    finally:
        if controller is not None:
            controller.stop()
        if server_id is not None:
            webserver.stop(server_id, servers_dir)
        shutil.rmtree(state_dir, ignore_errors=True)
        shutil.rmtree(servers_dir, ignore_errors=True)
