"""Failover (issue 13 §2.4): what requests see when an amphora dies.

A request loop through the VIP (a new connection per request, 0.5 s timeout, 10 ms
apart: tests/support/vip_probe.py) while the amphora's HAProxy is killed with SIGKILL:

  SINGLE          the load balancer's only HAProxy, master and workers (its process
                  group); the controller's health loop sees it gone and rebuilds it.
  ACTIVE_STANDBY  the MASTER amphora's HAProxy (namespace mode, needs root: keepalived
                  moves the VIP to the BACKUP); measured when namespaces work here.

Figures per mode: failed requests, time from the kill to the first answer after the
failures, and for SINGLE the controller's rebuild time (kill to a new master and the
load balancer ACTIVE again). Targets: ACTIVE_STANDBY serves again within 2 s; SINGLE
serves again no later than its rebuild. Figures only.
"""
import os
import shutil
import signal
import statistics
import time

from heat_lbaas.controller.amphora import netns
from tests.support import active_standby
from tests.support import amphora
from bench import running
from tests.support import controller as controller_support
from tests.support import http_lb
from tests.support import namespaces
from tests.support import octavia_api
from tests.support import processes
from tests.support import vip_probe
from tests.support import web_servers

SIZES = {'smoke': {'kills': 1, 'active_standby': False},
         'full': {'kills': 3, 'active_standby': True}}
ACTIVE_STANDBY_TARGET = 2.0
HEALTH_INTERVAL_NOTE = ('controller health_interval %g s (its default); a dead master is '
                        'seen at once through its pidfd (death_watch.py)'
                        % running.HEALTH_INTERVAL)


def figure(name, value, unit, target=None, met=None, note='', ratio=None, peer=None):
    return {'name': name, 'value': value, 'unit': unit, 'target': target, 'met': met,
            'ratio': ratio, 'peer': peer, 'note': note}


def outage(probe, killed_at, timeout=60):
    """(failed requests, seconds from the kill to serving again) of one kill."""
    try:
        first_failure = probe.wait_for_failure(since=killed_at, timeout=5)
    except AssertionError:
        # No request failed: served throughout, if the loop kept answering.
        probe.wait_for_any_answer(since=killed_at, timeout=5)
        return 0, 0.0
    served_again = probe.wait_for_any_answer(since=first_failure, timeout=timeout)
    return len(probe.failures_between(killed_at, served_again)), served_again - killed_at


def single_kill(api, probe_amphora, lb_id, probe):
    master = probe_amphora.master_pid(lb_id)
    assert master, 'no HAProxy master for %s' % lb_id
    killed_at = time.monotonic()
    # The master leads its own process group (the controller starts it in a new
    # session): master and workers die together, as in a crash of the amphora.
    os.killpg(master, signal.SIGKILL)
    failed, serving_after = outage(probe, killed_at)

    def rebuilt():
        new = probe_amphora.master_pid(lb_id)
        return (new not in (None, master)
                and api.loadbalancer(lb_id)['provisioning_status'] == 'ACTIVE')
    http_lb.wait_for(rebuilt, 60, 'the controller did not rebuild the amphora',
                     interval=0.01)
    return {'failed': failed, 'serving_after': serving_after,
            'rebuild': time.monotonic() - killed_at}


def measure_single(kills):
    directory = controller_support.short_state_dir()
    controller = running.controller(os.path.join(directory, 'state'))
    servers = web_servers.WebServers(os.path.join(directory, 'web'))
    try:
        controller.start()
        api = octavia_api.OctaviaApi(controller.url)
        members = servers.start(2)
        lb, listener, _, _ = http_lb.build_http_lb(api, members, health_monitor=False)
        probe_amphora = amphora.AmphoraProbe(controller.state_dir)
        results = []
        with vip_probe.VipProbe(lb['vip_address'], listener['protocol_port']) as probe:
            probe.wait_for_any_answer(since=0)
            for _ in range(kills):
                results.append(single_kill(api, probe_amphora, lb['id'], probe))
                time.sleep(1)
        return results
    finally:
        servers.stop_all()
        controller.stop()
        shutil.rmtree(directory, ignore_errors=True)


def measure_active_standby(kills):
    directory = controller_support.short_state_dir()
    names = namespaces.Names()
    controller = running.controller(os.path.join(directory, 'state'),
                                                      namespaces=names)
    servers = web_servers.WebServers(os.path.join(directory, 'web'))
    try:
        controller.start()
        api = octavia_api.OctaviaApi(controller.url)
        members = servers.start(2)
        lb, _ = active_standby.serving_pair(api, names, members)
        vip = lb['vip_address']
        results = []
        with vip_probe.VipProbe(vip, active_standby.VIP_PORT) as probe:
            probe.wait_for_any_answer(since=0, timeout=30)
            for _ in range(kills):
                roles = active_standby.amphorae(api, lb['id'])
                master, backup = roles['MASTER'], roles['BACKUP']
                http_lb.wait_for(lambda: active_standby.holds_vip(names.prefix, master, vip), 30,
                                 'the MASTER does not hold the VIP')
                pids = processes.with_argument_containing(os.path.join(
                    controller.state_dir, 'active-standby', 'amphorae', master['id'],
                    'haproxy.cfg'))
                assert pids, 'no HAProxy of the MASTER amphora'
                killed_at = time.monotonic()
                for pid in pids:
                    os.kill(pid, signal.SIGKILL)
                failed, serving_after = outage(probe, killed_at)
                # The dead amphora is rebuilt as the new BACKUP before the next kill.
                http_lb.wait_for(
                    lambda: {a['id'] for a in active_standby.amphorae(api, lb['id']).values()}
                    != {master['id'], backup['id']}, 60, 'no failover of the MASTER')
                api.wait_active(lb['id'], timeout=60)
                results.append({'failed': failed, 'serving_after': serving_after,
                                'rebuild': time.monotonic() - killed_at})
                names.namespaces()
                time.sleep(2)
        return results
    finally:
        try:
            servers.stop_all()
            controller.stop()
        finally:
            names.namespaces()
            shutil.rmtree(directory, ignore_errors=True)
            leftovers = names.leftovers()
            if leftovers:
                raise RuntimeError('namespaces or links left: %s' % leftovers)


def summarise(mode, results, target, target_text):
    serving = statistics.median(r['serving_after'] for r in results)
    rebuild = statistics.median(r['rebuild'] for r in results)
    failed = [r['failed'] for r in results]
    met = target(serving, rebuild)
    runs = '; '.join('%d failed, served after %.2f s, rebuilt after %.2f s'
                     % (r['failed'], r['serving_after'], r['rebuild']) for r in results)
    return [
        figure('%s: time from SIGKILL to serving again' % mode, round(serving, 3), 's',
               target=target_text, met=met,
               note='median of %d kills: %s' % (len(results), runs)),
        figure('%s: failed requests per kill' % mode, statistics.median(failed),
               'requests', note='median; each kill: %s; probe: a request every ~10 ms, '
               '0.5 s timeout' % failed),
        figure('%s: controller rebuild (kill to new HAProxy, LB ACTIVE)' % mode,
               round(rebuild, 3), 's', note=HEALTH_INTERVAL_NOTE),
    ]


def run(size):
    plan = SIZES[size]
    single = measure_single(plan['kills'])
    figures = summarise('SINGLE', single, lambda serving, rebuild: serving <= rebuild + 0.05,
                        'serving again no later than the rebuild')
    modes = [('SINGLE', single)]
    notes = []
    if plan['active_standby']:
        if netns.namespaces_supported():
            pair = measure_active_standby(plan['kills'])
            figures += summarise('ACTIVE_STANDBY', pair,
                                 lambda serving, _: serving <= ACTIVE_STANDBY_TARGET,
                                 'serving again within %g s' % ACTIVE_STANDBY_TARGET)
            modes.append(('ACTIVE_STANDBY', pair))
        else:
            notes.append('ACTIVE_STANDBY not measured: network namespaces need root and '
                         'a working `ip netns`.')
    series = [{'plot': 'failover', 'title': 'Failover: SIGKILL of the (MASTER) amphora',
               'x_label': 'kill', 'y_label': 'seconds to serve again',
               'lines': [{'label': mode, 'x': list(range(1, len(results) + 1)),
                          'y': [r['serving_after'] for r in results]}
                         for mode, results in modes]}]
    return {'title': 'Failover', 'section': '2.4', 'figures': figures, 'series': series,
            'notes': notes}
