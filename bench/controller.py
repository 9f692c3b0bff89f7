"""Controller (issue 13 §2.5): provisioning latency, API latency and memory per load
balancer as the controller holds more and more load balancers (100 and 500 for make
bench, 3 in the smoke run), each with an HTTP listener and a pool of real members, on one
controller with real HAProxy amphorae.

At each count N it measures the last load balancers' POST-to-ACTIVE time (with their
listener, pool and members: one full-tree POST), a member weight change to ACTIVE on a
load balancer among the N, the latency of GET /loadbalancers (the whole list) and of GET
/loadbalancers/{id}, and memory: the controller's and all HAProxy processes' resident
memory, proportional (PSS: shared pages split among their sharers) and plain (RSS),
divided by N. An empty load balancer's time to ACTIVE is measured before the growth.
Figures only: nothing here asserts on time.
"""
import os
import random
import shutil
import statistics
import time

import requests

from bench import running
from tests.support import controller as controller_support
from tests.support import echo_server
from tests.support import octavia_api
from tests.support import processes

SIZES = {
    'smoke': {'counts': [3], 'members': 2, 'samples': 3},
    'full': {'counts': [100, 500], 'members': 10, 'samples': 20},
}
LB_TO_ACTIVE_TARGET = 1.0
CHILD_TARGET = 0.3
# Octavia boots an amphora VM per load balancer: the service VM flavor's 1 GiB.
OCTAVIA_AMPHORA_MIB = 1024
LISTENER_PORT = 8080


def timed(action):
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def full_tree(members):
    return {'loadbalancer': {
        'vip_subnet_id': octavia_api.VIP_SUBNET_ID,
        'listeners': [{'protocol': 'HTTP', 'protocol_port': LISTENER_PORT, 'default_pool': {
            'name': 'pool', 'protocol': 'HTTP', 'lb_algorithm': 'ROUND_ROBIN',
            'members': [{'address': m.address, 'protocol_port': m.port}
                        for m in members]}}]}}


def create_full(api, members):
    response = api.request('POST', '/loadbalancers', full_tree(members))
    assert response.status_code == 201, response.text
    lb = response.json()['loadbalancer']
    api.wait_active(lb['id'], timeout=120)
    return lb


def memory_kib(pid, field):
    """`field` ('Pss:' or 'Rss:') of the process's smaps_rollup, in KiB (0 if gone)."""
    try:
        with open('/proc/%d/smaps_rollup' % pid) as rollup:
            for line in rollup:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def median(values):
    return statistics.median(values) if values else None


def p90(values):
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.9) - 1)]


def figure(name, value, unit, target=None, met=None, note='', ratio=None, peer=None):
    return {'name': name, 'value': value, 'unit': unit, 'target': target, 'met': met,
            'ratio': ratio, 'peer': peer, 'note': note}


def latency_figure(name, values, target):
    value = median(values)
    return figure(name, round(value, 4), 's', 'median < %g s' % target, value < target,
                  note='p90 %.3f s, %d samples' % (p90(values), len(values)))


class Bench:
    def __init__(self, controller, api, servers, samples):
        self.controller = controller
        self.api = api
        self.servers = servers
        self.samples = samples
        self.lbs = []
        self.create_seconds = []

    def grow_to(self, count):
        while len(self.lbs) < count:
            began = time.perf_counter()
            self.lbs.append(create_full(self.api, self.servers))
            self.create_seconds.append(time.perf_counter() - began)

    def child_changes(self, lb):
        pool_id = self.api.request('GET', '/loadbalancers/%s' % lb['id']).json()[
            'loadbalancer']['pools'][0]['id']
        member = self.api.request('GET', '/pools/%s/members' % pool_id).json()['members'][0]
        path = '/pools/%s/members/%s' % (pool_id, member['id'])
        return [timed(lambda: self.api.update_child(lb['id'], path, 'member',
                                                    weight=weight % 10 + 1))
                for weight in range(self.samples)]

    def get_latency(self, path):
        seconds = []
        for _ in range(self.samples):
            began = time.perf_counter()
            response = self.api.request('GET', path)
            seconds.append(time.perf_counter() - began)
            assert response.status_code == 200, response.text
        return seconds

    def memory(self):
        haproxy_pids = processes.with_argument_containing(
            os.path.join(self.controller.state_dir, 'amphorae') + '/')
        return {field: {'controller': memory_kib(self.controller.process.pid, field),
                        'haproxy': sum(memory_kib(pid, field) for pid in haproxy_pids)}
                for field in ('Pss:', 'Rss:')}, len(haproxy_pids)

    def at(self, count):
        """The figures with `count` load balancers in place."""
        self.grow_to(count)
        recent = self.create_seconds[-self.samples:]
        sample = self.lbs[len(self.lbs) // 2]
        answered = requests.get('http://%s:%d/' % (sample['vip_address'], LISTENER_PORT),
                                timeout=10).status_code
        child = self.child_changes(random.choice(self.lbs))
        listing = self.get_latency('/loadbalancers')
        show = self.get_latency('/loadbalancers/%s' % random.choice(self.lbs)['id'])
        memory, haproxy_processes = self.memory()
        pss, rss = memory['Pss:'], memory['Rss:']
        per_lb_mib = (pss['controller'] + pss['haproxy']) / 1024 / count
        return {
            'figures': [
                latency_figure('LB (listener, pool, %d members) to ACTIVE at N=%d'
                               % (len(self.servers), count), recent, LB_TO_ACTIVE_TARGET),
                latency_figure('child change (member weight) to ACTIVE at N=%d' % count,
                               child, CHILD_TARGET),
                figure('GET /loadbalancers (list of %d) at N=%d' % (count, count),
                       round(median(listing), 4), 's',
                       note='median; p90 %.3f s' % p90(listing)),
                figure('GET /loadbalancers/{id} at N=%d' % count, round(median(show), 4),
                       's', note='median; p90 %.3f s' % p90(show)),
                figure('memory per LB at N=%d (controller + HAProxy PSS / N)' % count,
                       round(per_lb_mib, 2), 'MiB',
                       target='far below an Octavia amphora VM (%d MiB)'
                       % OCTAVIA_AMPHORA_MIB, met=per_lb_mib < OCTAVIA_AMPHORA_MIB / 10,
                       ratio=round(per_lb_mib / OCTAVIA_AMPHORA_MIB, 4),
                       peer='Octavia amphora VM (1 GiB)',
                       note='controller PSS %.1f MiB, %d HAProxy processes PSS %.1f MiB; '
                       'RSS: controller %.1f MiB, HAProxy %.1f MiB (%.2f MiB per LB); '
                       'a sample VIP answered %s' % (
                           pss['controller'] / 1024, haproxy_processes,
                           pss['haproxy'] / 1024, rss['controller'] / 1024,
                           rss['haproxy'] / 1024,
                           (rss['controller'] + rss['haproxy']) / 1024 / count, answered)),
            ],
            'point': {'n': count, 'lb_active': median(recent), 'child': median(child),
                      'list': median(listing), 'show': median(show),
                      'memory_per_lb_mib': per_lb_mib},
        }

    def delete_all(self):
        began = time.perf_counter()
        for lb in self.lbs:
            self.api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
        for lb in self.lbs:
            self.api.wait_gone(lb['id'], timeout=300)
        seconds = time.perf_counter() - began
        count, self.lbs = len(self.lbs), []
        return count, seconds


def empty_lb_seconds(api, samples):
    seconds = []
    for _ in range(samples):
        began = time.perf_counter()
        lb = api.new_loadbalancer()
        seconds.append(time.perf_counter() - began)
        api.delete_loadbalancer(lb['id'])
    return seconds


def series(points, members):
    counts = [point['n'] for point in points]
    return [
        {'plot': 'controller_latency', 'title': 'Controller: latency against load balancers',
         'x_label': 'load balancers held by the controller', 'y_label': 'seconds (median)',
         'lines': [
             {'label': 'LB (%d members) to ACTIVE' % members, 'x': counts,
              'y': [point['lb_active'] for point in points]},
             {'label': 'child change to ACTIVE', 'x': counts,
              'y': [point['child'] for point in points]},
             {'label': 'GET /loadbalancers', 'x': counts,
              'y': [point['list'] for point in points]},
             {'label': 'GET /loadbalancers/{id}', 'x': counts,
              'y': [point['show'] for point in points]}]},
        {'plot': 'controller_memory', 'title': 'Controller: memory per load balancer',
         'x_label': 'load balancers', 'y_label': 'MiB per LB (PSS)',
         'lines': [{'label': 'controller + HAProxy', 'x': counts,
                    'y': [point['memory_per_lb_mib'] for point in points]}]},
    ]


def run(size):
    plan = SIZES[size]
    state_dir = controller_support.short_state_dir()
    # A /16 of its own: 500 VIPs do not fit a /24.
    vip_cidr = '127.%d.0.0/16' % random.SystemRandom().randint(100, 254)
    controller = running.controller(
        os.path.join(state_dir, 'state'), vip_cidr=vip_cidr)
    servers = []
    try:
        controller.start()
        servers = [echo_server.EchoServer('m%d' % n) for n in range(plan['members'])]
        api = octavia_api.OctaviaApi(controller.url)
        empty = empty_lb_seconds(api, plan['samples'])
        bench = Bench(controller, api, servers, plan['samples'])
        figures = [latency_figure('empty load balancer: POST to ACTIVE (N=0)', empty,
                                  LB_TO_ACTIVE_TARGET)]
        points = []
        for count in plan['counts']:
            measured = bench.at(count)
            figures.extend(measured['figures'])
            points.append(measured['point'])
        deleted, seconds = bench.delete_all()
        figures.append(figure('cascade delete of %d load balancers' % deleted,
                              round(seconds, 2), 's', note='%.3f s each' % (seconds / deleted)))
        return {'title': 'Controller', 'section': '2.5', 'figures': figures,
                'series': series(points, plan['members']),
                'notes': ['Peer: Octavia boots an amphora VM per load balancer (a minute '
                          'or more to ACTIVE, ~1 GiB RAM each).']}
    finally:
        for server in servers:
            server.stop()
        controller.stop()
        shutil.rmtree(state_dir, ignore_errors=True)
