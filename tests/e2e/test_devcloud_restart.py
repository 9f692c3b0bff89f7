"""Restarts lose nothing on the devcloud, tried as a user would, with a stack serving
(the shipped autoscaling template: web servers, a load balancer, two load alarms):

- SIGKILL the controller, `heat-lbaas-devcloud up`: only the controller starts again, it
  adopts the HAProxy process, no request fails, and the stack can still be updated;
- `down` then `up` (what a reboot amounts to): the web servers come back on their
  addresses, the load alarms come back, and the load balancer serves again.
Each under a request loop; the figures are printed.
"""
import json
import os
import pathlib
import signal
import time

import pytest
import requests

from tests.support import amphora
from tests.support import devcloud as devcloud_support
from tests.support import octavia_api
from tests.support import ports
from tests.support import request_load
from tests.support import stacks as stacks_support

ROOT = pathlib.Path(__file__).resolve().parents[2]
STACK = 'restarted'
LOAD = ('', '', '', '?sleep=1')


@pytest.fixture(scope='module')
def cloud(tmp_path_factory):
    """A devcloud of this module's own: its controller gets killed."""
    own = devcloud_support.Devcloud(tmp_path_factory.mktemp('restart-devcloud'))
    try:
        own.up()
        yield own
    finally:
        own.down()


@pytest.fixture(scope='module')
def web_stack(cloud):
    """Two members and two load alarms that never fire (thresholds out of reach)."""
    cloud.heat.create(STACK, ROOT / 'templates/autoscaling_web.yaml',
                      [ROOT / 'environments/devcloud.yaml'],
                      {'load_alarms': 'true', 'min_size': 2, 'desired_size': 2,
                       'max_size': 3, 'connections_high': 100000, 'connections_low': 0,
                       'load_alarm_period': 2, 'lb_port': ports.free_port()})
    assert stacks_support.stack_status(cloud, STACK)[0] == 'CREATE_COMPLETE'
    lb_id, = [lb['id'] for lb in cloud.load_balancer.load_balancers()]
    try:
        yield lb_id, stacks_support.output_value(cloud, STACK, 'lb_url')
    finally:
        cloud.heat.delete(STACK, check=False)


def child_processes(cloud, kind):
    """{process id: (pid, ready file content)} of the running web servers or alarms."""
    found = {}
    for pid_file in (cloud.state_dir / kind).glob('*.pid'):
        pid = int(pid_file.read_text())
        ready = pid_file.with_suffix('.ready')
        if devcloud_support.is_alive(pid) and ready.exists():
            found[pid_file.stem] = (pid, ready.read_text())
    return found


def addresses(servers):
    return {process_id: json.loads(ready)['url']
            for process_id, (_, ready) in servers.items()}


def service_pid(cloud, name):
    return int((cloud.state_dir / 'pids' / ('%s.pid' % name)).read_text())


def members_answering(url, tries=20):
    return {requests.get(url, timeout=5).text.strip() for _ in range(tries)}


def test_killed_controller_up_restarts_only_it_and_traffic_never_stops(cloud, web_stack):
    lb_id, url = web_stack
    probe = amphora.AmphoraProbe(str(cloud.state_dir / 'controller'))
    master = probe.master_pid(lb_id)
    heat = service_pid(cloud, 'heat')
    servers = child_processes(cloud, 'webservers')
    alarms = child_processes(cloud, 'alarms')
    assert len(servers) == 2 and len(alarms) == 2
    members = members_answering(url)
    assert len(members) == 2

    with request_load.RequestLoad(url, paths=LOAD) as load:
        time.sleep(1)
        os.kill(service_pid(cloud, 'controller'), signal.SIGKILL)
        killed_at = time.monotonic()
        time.sleep(2)
        cloud.up()
        up_took = time.monotonic() - killed_at
        time.sleep(1)
    print('devcloud: controller SIGKILLed, `up` back %.1fs later; %d requests, '
          '%d failed' % (up_took, load.answered, len(load.failures)))
    assert load.failures == []
    assert 'partly running' in cloud.up_output
    assert service_pid(cloud, 'heat') == heat, 'Heat was restarted'
    assert probe.master_pid(lb_id) == master, 'HAProxy was restarted, not adopted'
    assert child_processes(cloud, 'webservers') == servers
    assert child_processes(cloud, 'alarms').keys() == alarms.keys()
    assert {pid for pid, _ in child_processes(cloud, 'alarms').values()} == {
        pid for pid, _ in alarms.values()}
    lb = cloud.load_balancer.load_balancer(lb_id)
    assert lb['provisioning_status'] == 'ACTIVE'

    # The stack takes changes through the restarted controller: a third member.
    cloud.heat.update(STACK, parameters={'desired_size': 3})
    assert stacks_support.stack_status(cloud, STACK)[0] == 'UPDATE_COMPLETE'
    deadline = time.monotonic() + 60
    while len(members_answering(url)) < 3:
        assert time.monotonic() < deadline, 'no third member after the update'
        time.sleep(0.5)


def lb_provisioning_status(cloud, lb_id):
    return requests.get('%s/v2/lbaas/loadbalancers/%s' % (cloud.controller_url, lb_id),
                        timeout=5).json()['loadbalancer']['provisioning_status']


def test_controller_killed_in_the_middle_of_a_scale_out(cloud, web_stack):
    """The existing members keep serving throughout; after `up` the scale-out completes
    (or fails cleanly and the next update converges); nothing stays PENDING_*."""
    lb_id, url = web_stack
    before = len(members_answering(url, 30))
    with request_load.RequestLoad(url, paths=LOAD) as load:
        marker = cloud.heat.update(STACK, parameters={'desired_size': before + 1,
                                                      'max_size': before + 1}, wait=False)
        # Kill the controller while it applies the new member (its load balancer is
        # PENDING_UPDATE), or after 30 s at the latest.
        deadline = time.monotonic() + 30
        while (lb_provisioning_status(cloud, lb_id) == 'ACTIVE'
               and time.monotonic() < deadline):
            time.sleep(0.02)
        caught_pending = time.monotonic() < deadline
        os.kill(service_pid(cloud, 'controller'), signal.SIGKILL)
        killed_at = time.monotonic()
        time.sleep(1)
        cloud.up()
        up_after = time.monotonic() - killed_at
        status, _ = cloud.heat.wait_for(STACK, 'UPDATE', marker, check=False, timeout=300)
        first_outcome = status
        if status != 'UPDATE_COMPLETE':     # failed cleanly: the next update converges
            cloud.heat.update(STACK)
            status = stacks_support.stack_status(cloud, STACK)[0]
        time.sleep(1)
    print('devcloud: controller SIGKILLed during a scale-out (load balancer caught '
          'PENDING_UPDATE: %s), `up` %.1fs later; stack %s%s; %d requests, %d failed'
          % (caught_pending, up_after, first_outcome,
             '' if first_outcome == status else ', then %s' % status,
             load.answered, len(load.failures)))
    assert load.failures == []
    assert status == 'UPDATE_COMPLETE'
    assert octavia_api.OctaviaApi(cloud.controller_url).pending_objects(lb_id) == []
    assert lb_provisioning_status(cloud, lb_id) == 'ACTIVE'
    deadline = time.monotonic() + 60
    while len(members_answering(url, 30)) < before + 1:
        assert time.monotonic() < deadline, 'the new member never answered'
        time.sleep(0.5)


def test_down_then_up_brings_back_web_servers_alarms_and_the_load_balancer(cloud,
                                                                           web_stack):
    lb_id, url = web_stack
    servers = child_processes(cloud, 'webservers')
    alarms = child_processes(cloud, 'alarms')
    members = members_answering(url, 30)
    assert len(servers) == len(members) >= 2 and len(alarms) == 2

    cloud.down()
    assert child_processes(cloud, 'webservers') == {}
    assert child_processes(cloud, 'alarms') == {}
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=5)

    began = time.monotonic()
    cloud.up()
    up_took = time.monotonic() - began
    back = child_processes(cloud, 'webservers')
    assert addresses(back) == addresses(servers), 'web servers moved'
    assert child_processes(cloud, 'alarms').keys() == alarms.keys()
    deadline = time.monotonic() + 60
    while True:
        try:
            if members_answering(url, 10) == members:
                break
        except requests.RequestException:
            pass
        assert time.monotonic() < deadline, 'the load balancer does not serve every member'
        time.sleep(0.2)
    serving_after = time.monotonic() - began
    with request_load.RequestLoad(url, paths=LOAD) as load:
        time.sleep(3)
    print('devcloud down then up: `up` took %.1fs, every member served through the '
          'load balancer %.1fs after `up` began; then %d requests, %d failed'
          % (up_took, serving_after, load.answered, len(load.failures)))
    assert load.failures == []
    lb = cloud.load_balancer.load_balancer(lb_id)
    assert lb['provisioning_status'] == 'ACTIVE'
    # The alarms evaluate again (their ready file is rewritten every period).
    evaluated = {pid: ready for pid, ready in child_processes(cloud, 'alarms').values()}
    deadline = time.monotonic() + 30
    while {pid: ready for pid, ready in child_processes(cloud, 'alarms').values()} == evaluated:
        assert time.monotonic() < deadline, 'the load alarms do not evaluate'
        time.sleep(0.5)


def test_a_deleted_stack_leaves_nothing_for_up_to_restart(cloud, web_stack):
    """Processes restarted by `up` are still the stack's: its delete stops them and
    removes their restart files, so the next `up` brings nothing back."""
    lb_id, _ = web_stack
    restartable = [p for kind in ('webservers', 'alarms')
                   for p in (cloud.state_dir / kind).glob('*.restart')]
    assert len(restartable) >= 4
    stacks_support.delete_leaving_nothing(cloud, STACK, lb_id, cloud.pids())
    assert [p for p in restartable if p.exists()] == []
    cloud.up()
    assert 'restarted' not in cloud.up_output
    assert child_processes(cloud, 'webservers') == {}
    assert child_processes(cloud, 'alarms') == {}
