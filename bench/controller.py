"""Controller benchmark (make bench): provisioning latency and the memory of 100 load
balancers with 10 members each, on one controller with real HAProxy amphorae.

Prints medians against the issue's targets (load balancer to ACTIVE < 1 s, child
change to ACTIVE < 0.3 s) and resident memory of the controller and all HAProxy
processes. Figures only: nothing here asserts on time.
"""
import argparse
import os
import shutil
import statistics
import time

import requests

from tests.support import controller as controller_support
from tests.support import echo_server
from tests.support import octavia_api
from tests.support import processes


def timed(action):
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def full_tree(members, port):
    return {'loadbalancer': {
        'vip_subnet_id': octavia_api.VIP_SUBNET_ID,
        'listeners': [{'protocol': 'HTTP', 'protocol_port': port, 'default_pool': {
            'name': 'pool', 'protocol': 'HTTP', 'lb_algorithm': 'ROUND_ROBIN',
            'members': [{'address': m.address, 'protocol_port': m.port}
                        for m in members]}}]}}


def create_full(api, members, port):
    response = api.request('POST', '/loadbalancers', full_tree(members, port))
    assert response.status_code == 201, response.text
    lb = response.json()['loadbalancer']
    api.wait_active(lb['id'], timeout=120)
    return lb


def resident_kib(pid):
    """Proportional set size (shared pages split among sharers), in KiB."""
    try:
        with open('/proc/%d/smaps_rollup' % pid) as rollup:
            for line in rollup:
                if line.startswith('Pss:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(load_balancers, members_per_lb, samples):
    state_dir = controller_support.short_state_dir()
    controller = controller_support.RunningController(
        os.path.join(state_dir, 'state'), vip_cidr='127.201.0.0/16').start()
    servers = [echo_server.EchoServer('m%d' % n) for n in range(members_per_lb)]
    api = octavia_api.OctaviaApi(controller.url)
    try:
        empty = []
        for _ in range(samples):
            began = time.perf_counter()
            lb = api.new_loadbalancer()
            empty.append(time.perf_counter() - began)
            api.delete_loadbalancer(lb['id'])

        serving = []
        for _ in range(samples):
            began = time.perf_counter()
            lb = create_full(api, servers[:2], 8080)
            serving.append(time.perf_counter() - began)
            api.delete_loadbalancer(lb['id'])

        lb = create_full(api, servers[:2], 8080)
        pool_id = api.request('GET', '/pools').json()['pools'][0]['id']
        member = api.request('GET', '/pools/%s/members' % pool_id).json()['members'][0]
        child = []
        for weight in range(samples):
            child.append(timed(lambda: api.update_child(
                lb['id'], '/pools/%s/members/%s' % (pool_id, member['id']), 'member',
                weight=weight % 10 + 1)))
        api.delete_loadbalancer(lb['id'])

        began = time.perf_counter()
        many = [create_full(api, servers, 8080) for _ in range(load_balancers)]
        many_seconds = time.perf_counter() - began
        sample = many[len(many) // 2]
        answered = requests.get('http://%s:8080/' % sample['vip_address'], timeout=5)
        haproxy_pids = processes.with_argument_containing(
            os.path.join(controller.state_dir, 'amphorae') + '/')
        haproxy_kib = sum(resident_kib(pid) for pid in haproxy_pids)
        controller_kib = resident_kib(controller.process.pid)
        began = time.perf_counter()
        for lb in many:
            api.request('DELETE', '/loadbalancers/%s?cascade=true' % lb['id'])
        for lb in many:
            api.wait_gone(lb['id'], timeout=120)
        delete_seconds = time.perf_counter() - began
        return {
            'empty': empty, 'serving': serving, 'child': child,
            'many_seconds': many_seconds, 'delete_seconds': delete_seconds,
            'haproxy_processes': len(haproxy_pids), 'haproxy_kib': haproxy_kib,
            'controller_kib': controller_kib, 'answered': answered.status_code,
        }
    finally:
        for server in servers:
            server.stop()
        controller.stop()
        shutil.rmtree(state_dir, ignore_errors=True)


def report(figures, load_balancers, members_per_lb):
    def line(label, values, target):
        median = statistics.median(values)
        print('%-48s median %7.3f s  p90 %7.3f s  target < %.1f s  %s' % (
            label, median, sorted(values)[int(len(values) * 0.9) - 1], target,
            'OK' if median < target else 'MISSED'))
    print('\nheat-lbaas controller, real HAProxy %s' % shutil.which('haproxy'))
    line('empty load balancer: POST to ACTIVE', figures['empty'], 1.0)
    line('serving LB (listener, pool, 2 members) to ACTIVE', figures['serving'], 1.0)
    line('child change (member weight) to ACTIVE', figures['child'], 0.3)
    print('%d load balancers x %d members: created in %.1f s (%.3f s each), '
          'deleted in %.1f s, a sample VIP answered %s'
          % (load_balancers, members_per_lb, figures['many_seconds'],
             figures['many_seconds'] / load_balancers, figures['delete_seconds'],
             figures['answered']))
    print('memory (PSS): controller %.1f MiB; %d HAProxy processes %.1f MiB in all, '
          '%.2f MiB per load balancer'
          % (figures['controller_kib'] / 1024, figures['haproxy_processes'],
             figures['haproxy_kib'] / 1024,
             figures['haproxy_kib'] / 1024 / load_balancers))
    print('peer: Octavia boots an amphora VM per load balancer (a minute or more to '
          'ACTIVE, ~1 GiB RAM each); with its no-op drivers status changes take '
          '~0.5 s (shared/reference/running-heat-locally.md)')


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--load-balancers', type=int, default=100)
    parser.add_argument('--members', type=int, default=10)
    parser.add_argument('--samples', type=int, default=20)
    args = parser.parse_args()
    figures = measure(args.load_balancers, args.members, args.samples)
    report(figures, args.load_balancers, args.members)


if __name__ == '__main__':
    main()
