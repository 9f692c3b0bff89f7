"""Heat members benchmark (make bench): one stack with one load balancer and N members,
created and then deleted through the real Heat engine of a devcloud, with

  OS::Octavia::PoolMember  Heat's built-in type, N resources
  LBaaS::Member            ours, N resources
  LBaaS::PoolMembers       ours, one resource holding the list of N members

The load balancer, listener and pool are ours in every variant (Heat's built-in
LoadBalancer needs Neutron): only the members differ. For each variant and N it measures
the wall time of stack create and of stack delete (the stack status polled every 0.2 s
through Heat's REST API) and counts, from the controller's access log (`[api]
access_log`, on in the devcloud), the API requests the controller received and how many
it answered 409. Members need not answer (no health monitor): 127.99.x.y:8080.

Each size and variant is measured at two paces of the Heat engine (`heat-lbaas-devcloud
up --heat-poll-interval`): the devcloud's (its fixed 1 s polling sleeps capped at 0.1 s)
and stock Heat's (1 s, what users run), each on a devcloud of its own.

Prints a table, the ratios against OS::Octavia::PoolMember and the issue's targets
(LBaaS::PoolMembers >= 5x faster at N = 100; LBaaS::Member >= 2x faster with at most N/5
conflicts). Figures only: nothing here asserts on time.
"""
import argparse
import sys
import time

import requests

from heat_lbaas.controller.api import access_log
from bench import running
from tests.support import ports

BUILTIN, MEMBER, POOL_MEMBERS = 'OS::Octavia::PoolMember', 'LBaaS::Member', 'LBaaS::PoolMembers'
VARIANTS = (BUILTIN, MEMBER, POOL_MEMBERS)
POLL_SECONDS = 0.2
MEMBER_PORT = 8080
# Heat's poll intervals compared: the devcloud's and stock Heat's.
DEVCLOUD_INTERVAL, STOCK_INTERVAL = 0.1, 1.0
INTERVAL_NAMES = {DEVCLOUD_INTERVAL: 'devcloud Heat (0.1 s polls)',
                  STOCK_INTERVAL: 'stock Heat (1 s polls)'}


def member_address(index):
    return '127.99.%d.%d' % (index // 250, index % 250 + 1)


def template(variant, members, vip_subnet_id, listener_port):
    resources = {
        'lb': {'type': 'LBaaS::LoadBalancer', 'properties': {'vip_subnet': vip_subnet_id}},
        'listener': {'type': 'LBaaS::Listener', 'properties': {
            'loadbalancer': {'get_resource': 'lb'}, 'protocol': 'HTTP',
            'protocol_port': listener_port}},
        'pool': {'type': 'LBaaS::Pool', 'properties': {
            'listener': {'get_resource': 'listener'}, 'protocol': 'HTTP',
            'lb_algorithm': 'ROUND_ROBIN'}},
    }
    if variant == POOL_MEMBERS:
        resources['members'] = {'type': POOL_MEMBERS, 'properties': {
            'pool': {'get_resource': 'pool'},
            'members': [{'address': member_address(i), 'protocol_port': MEMBER_PORT}
                        for i in range(members)]}}
    else:
        for i in range(members):
            properties = {'pool': {'get_resource': 'pool'}, 'address': member_address(i),
                          'protocol_port': MEMBER_PORT}
            if variant == MEMBER:
                # A whole-stack delete never drains; 0 says so for a member delete too.
                properties['drain_seconds'] = 0
            resources['member%03d' % i] = {'type': variant, 'properties': properties}
    return {'heat_template_version': '2021-04-16',
            'description': 'heat-lbaas bench: %d x %s' % (members, variant),
            'resources': resources}


class AccessLogReader:
    """Requests the controller logged since the last `take()`."""

    def __init__(self, path):
        self.tail = access_log.LogTail(path)

    def take(self):
        logged = map(access_log.logged_request, self.tail.new_lines())
        return [entry for entry in logged if entry is not None]


def counted(entries):
    return {'requests': len(entries),
            'conflicts': sum(1 for _, _, status in entries if status == 409)}


class Heat:
    def __init__(self, url):
        self.url = url
        self.session = requests.Session()
        # What the openstack CLI sends under the devcloud's noauth (auth_type none): Heat
        # keeps the request's token for the engine's calls to the load-balancer API.
        self.session.headers['X-Auth-Token'] = 'notused'

    def create(self, name, body):
        response = self.session.post('%s/stacks' % self.url, timeout=60, json={
            'stack_name': name, 'template': body, 'timeout_mins': 60})
        response.raise_for_status()
        return response.json()['stack']['id']

    def status(self, name, stack_id):
        response = self.session.get('%s/stacks/%s/%s' % (self.url, name, stack_id),
                                    timeout=30)
        if response.status_code == 404:
            return 'DELETE_COMPLETE', ''
        response.raise_for_status()
        stack = response.json()['stack']
        return stack['stack_status'], stack.get('stack_status_reason') or ''

    def wait(self, name, stack_id, in_progress):
        while True:
            status, reason = self.status(name, stack_id)
            if status != in_progress:
                return status, reason
            time.sleep(POLL_SECONDS)

    def delete(self, name, stack_id):
        response = self.session.delete('%s/stacks/%s/%s' % (self.url, name, stack_id),
                                       timeout=60)
        response.raise_for_status()


def run_one(heat, reader, cloud, variant, members, serial):
    name = 'bench-%d-%s-%d' % (serial, variant.replace(':', '').lower(), members)
    body = template(variant, members, cloud.settings['vip_subnet_id'], ports.free_port())
    reader.take()
    began = time.monotonic()
    stack_id = heat.create(name, body)
    status, reason = heat.wait(name, stack_id, 'CREATE_IN_PROGRESS')
    create_seconds = time.monotonic() - began
    created = counted(reader.take())
    began = time.monotonic()
    heat.delete(name, stack_id)
    deleted_status, deleted_reason = heat.wait(name, stack_id, 'DELETE_IN_PROGRESS')
    delete_seconds = time.monotonic() - began
    removed = counted(reader.take())
    problems = [s + ': ' + r for s, r in ((status, reason), (deleted_status, deleted_reason))
                if s.endswith('FAILED')]
    return {
        'variant': variant, 'members': members,
        'create': create_seconds, 'delete': delete_seconds,
        'create_requests': created['requests'], 'create_conflicts': created['conflicts'],
        'delete_requests': removed['requests'], 'delete_conflicts': removed['conflicts'],
        'problems': problems,
    }


def measure(sizes, variants, keep_logs=None, interval=DEVCLOUD_INTERVAL):
    results = []
    with running.devcloud('hlb-bench-', keep_logs) as cloud:
        cloud.up('--heat-poll-interval', str(interval))
        print('devcloud up in %.1f s (state %s, Heat polls every %s s)'
              % (cloud.up_seconds, cloud.state_dir, interval), flush=True)
        heat = Heat(cloud.heat_url)
        reader = AccessLogReader(cloud.state_dir / 'logs' / 'controller.log')
        serial = 0
        for members in sizes:
            for variant in variants:
                serial += 1
                result = run_one(heat, reader, cloud, variant, members, serial)
                result['interval'] = interval
                results.append(result)
                print('  %-24s N=%-4d create %6.1f s  delete %6.1f s  requests %5d+%-5d '
                      '409s %4d+%-4d %s' % (
                          variant, members, result['create'], result['delete'],
                          result['create_requests'], result['delete_requests'],
                          result['create_conflicts'], result['delete_conflicts'],
                          '; '.join(result['problems'])), flush=True)
    return results


def ratio(base, value):
    return base / value if value > 0 else float('inf')


def report(results):
    by_key = {(r['variant'], r['members']): r for r in results}
    print('\nHeat members benchmark (devcloud: Heat %s engine, bundled controller)'
          % heat_version())
    print('%-24s %5s %9s %9s %9s %10s %6s   %s' % (
        'variant', 'N', 'create s', 'delete s', 'total s', 'requests', '409s',
        'x faster than OS::Octavia::PoolMember (create / delete / total)'))
    for r in results:
        total = r['create'] + r['delete']
        base = by_key.get((BUILTIN, r['members']))
        versus = ''
        if base is not None and r['variant'] != BUILTIN:
            versus = '%.1fx / %.1fx / %.1fx' % (
                ratio(base['create'], r['create']), ratio(base['delete'], r['delete']),
                ratio(base['create'] + base['delete'], total))
        print('%-24s %5d %9.1f %9.1f %9.1f %10d %6d   %s%s' % (
            r['variant'], r['members'], r['create'], r['delete'], total,
            r['create_requests'] + r['delete_requests'],
            r['create_conflicts'] + r['delete_conflicts'], versus,
            ('  FAILED: ' + '; '.join(r['problems'])) if r['problems'] else ''))

    print('\ntargets (create + delete wall time, N = 100):')
    base = by_key.get((BUILTIN, 100))
    for variant, wanted, conflicts_allowed in ((POOL_MEMBERS, 5.0, None),
                                               (MEMBER, 2.0, 100 // 5)):
        mine = by_key.get((variant, 100))
        if base is None or mine is None:
            print('  %-20s not measured at N = 100' % variant)
            continue
        speedup = ratio(base['create'] + base['delete'], mine['create'] + mine['delete'])
        conflicts = mine['create_conflicts'] + mine['delete_conflicts']
        met = speedup >= wanted and not mine['problems'] and not base['problems']
        text = '%.1fx faster (target >= %.0fx)' % (speedup, wanted)
        if conflicts_allowed is not None:
            met = met and conflicts <= conflicts_allowed
            text += ', %d conflicts (target <= %d)' % (conflicts, conflicts_allowed)
        print('  %-20s %s  %s' % (variant, text, 'MET' if met else 'MISSED'))


def contract_result(results):
    """The bench module contract's dict (bench/__main__.py) of measure()'s results (of
    one or both Heat poll intervals): a plot per interval, time against N per type."""
    figures, series = [], []
    intervals = sorted({r['interval'] for r in results})
    for interval in intervals:
        mine = [r for r in results if r['interval'] == interval]
        pace = INTERVAL_NAMES.get(interval, 'Heat polls every %s s' % interval)
        figures += interval_figures(mine, pace)
        lines = [{'label': '%s %s' % (variant, phase),
                  'x': [r['members'] for r in mine if r['variant'] == variant],
                  'y': [round(r[phase], 2) for r in mine if r['variant'] == variant]}
                 for variant in VARIANTS for phase in ('create', 'delete')]
        series.append({'plot': 'heat_members_poll_%s' % str(interval).replace('.', '_'),
                       'title': 'Members through Heat: stack create and delete, %s' % pace,
                       'x_label': 'members (N)', 'y_label': 'seconds',
                       'lines': [line for line in lines if line['x']]})
    return {'title': 'Members through Heat', 'section': '2.1', 'figures': figures,
            'series': series}


def interval_figures(results, pace):
    by_key = {(r['variant'], r['members']): r for r in results}
    figures = []
    for r in results:
        note = '%d requests, %d 409s' % (r['create_requests'] + r['delete_requests'],
                                        r['create_conflicts'] + r['delete_conflicts'])
        if r['problems']:
            note += '; FAILED: ' + '; '.join(r['problems'])
        for phase in ('create', 'delete'):
            figures.append({'name': '%s N=%d stack %s, %s' % (r['variant'], r['members'],
                                                               phase, pace),
                            'value': round(r[phase], 2), 'unit': 's', 'target': None,
                            'met': None, 'ratio': None, 'peer': None, 'note': note})
        figures.append({'name': '%s N=%d API requests (create + delete), %s' % (
                            r['variant'], r['members'], pace),
                        'value': r['create_requests'] + r['delete_requests'],
                        'unit': 'requests', 'target': None, 'met': None, 'ratio': None,
                        'peer': None, 'note': '%d of them answered 409' % (
                            r['create_conflicts'] + r['delete_conflicts'])})
    for variant, wanted, conflicts_allowed in ((POOL_MEMBERS, 5.0, None),
                                               (MEMBER, 2.0, 100 // 5)):
        base, mine = by_key.get((BUILTIN, 100)), by_key.get((variant, 100))
        if base is None or mine is None:
            continue
        speedup = ratio(base['create'] + base['delete'], mine['create'] + mine['delete'])
        conflicts = mine['create_conflicts'] + mine['delete_conflicts']
        met = speedup >= wanted and not mine['problems'] and not base['problems']
        target = '>= %.0fx faster' % wanted
        if conflicts_allowed is not None:
            met = met and conflicts <= conflicts_allowed
            target += ', <= %d conflicts' % conflicts_allowed
        figures.append({'name': '%s N=100 create+delete speed-up, %s' % (variant, pace),
                        'value': round(speedup, 2), 'unit': 'x', 'target': target,
                        'met': met, 'ratio': round(speedup, 3), 'peer': BUILTIN,
                        'note': '%d conflicts' % conflicts})
    return figures


def run(size):
    """smoke: N=2 at the devcloud's pace; full: N = 10, 50, 100, 200 at both paces."""
    if size == 'smoke':
        return contract_result(measure([2], VARIANTS))
    results = []
    for interval in (DEVCLOUD_INTERVAL, STOCK_INTERVAL):
        results += measure([10, 50, 100, 200], VARIANTS, interval=interval)
    return contract_result(results)


def heat_version():
    try:
        from heat import version
        return version.version_info.version_string()
    except Exception:
        return '?'


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--sizes', default='10,50,100',
                        help='comma-separated member counts (default 10,50,100)')
    parser.add_argument('--variants', default=','.join(VARIANTS),
                        help='comma-separated resource types (default: all three)')
    parser.add_argument('--heat-poll-interval', type=float, default=DEVCLOUD_INTERVAL,
                        help="Heat's poll interval (default %s: the devcloud's; %s: stock "
                             "Heat's)" % (DEVCLOUD_INTERVAL, STOCK_INTERVAL))
    parser.add_argument('--keep-logs', metavar='DIR',
                        help='copy the devcloud\'s logs (Heat, controller) here at the end')
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(',')]
    variants = [v for v in args.variants.split(',') if v]
    unknown = set(variants) - set(VARIANTS)
    if unknown:
        sys.exit('unknown variants: %s' % ', '.join(sorted(unknown)))
    report(measure(sizes, variants, args.keep_logs, args.heat_poll_interval))


if __name__ == '__main__':
    main()
