"""The amphora driver with the real haproxy binary: a configuration that
`haproxy -c` rejects never replaces the one that serves; a master re-executing
itself for a reload is never taken for gone."""
import threading

import pytest
import requests

from heat_lbaas.controller.amphora import driver_base
from heat_lbaas.controller.amphora import haproxy_process
from tests.support import controller as controller_support
from tests.support import ports
from tests.support import processes

CONFIG = '''global
    stats socket %(stats)s mode 600 level admin expose-fd listeners
    noreuseport
defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend web
    bind %(address)s:%(port)d
    http-request return status 200 content-type text/plain string "%(body)s"
'''


@pytest.fixture
def driver():
    state_dir = controller_support.short_state_dir()
    amphorae = haproxy_process.HaproxyProcessDriver(state_dir)
    yield amphorae
    amphorae.stop_all()
    assert processes.with_argument_containing(state_dir + '/amphorae/') == []


def _amphora(driver, lb_id):
    """Values of CONFIG for a free loopback address, and the URL it serves."""
    address = ports.random_loopback_subnet().replace('.0/24', '.9')
    port = ports.free_port(address)
    values = {'stats': driver.stats_socket_path(lb_id), 'address': address,
              'port': port}
    return values, 'http://%s:%d/' % (address, port)


def test_rejected_configuration_keeps_the_old_one_serving(driver):
    lb_id = '5f0ef3ec-12fa-4d73-9155-154913663327'
    values, url = _amphora(driver, lb_id)

    driver.apply(lb_id, CONFIG % dict(values, body='first'))
    assert requests.get(url, timeout=5).text == 'first'
    master = driver.master_pid(lb_id)

    broken = CONFIG % dict(values, body='second') + '    no-such-keyword here\n'
    with pytest.raises(driver_base.AmphoraError, match='haproxy -c rejected'):
        driver.apply(lb_id, broken)
    assert requests.get(url, timeout=5).text == 'first'
    assert driver.master_pid(lb_id) == master

    driver.apply(lb_id, CONFIG % dict(values, body='second'))
    assert requests.get(url, timeout=5).text == 'second'
    assert driver.master_pid(lb_id) == master       # reloaded, not restarted

    driver.apply(lb_id, None)
    assert driver.master_pid(lb_id) is None
    assert not processes.alive(master)


def test_a_reloading_master_is_never_taken_for_gone(driver):
    """While the master re-executes itself, HAProxy's pid file is briefly missing or
    empty and the master's command line empty; read then, a master taken for gone
    is one the health monitor fails over and whose workers' counters are counted
    twice. Every look during 10 reloads must see it."""
    lb_id = '0c3bb2a4-4c43-4b5e-a0f6-3c1b1d0f9a51'
    values, url = _amphora(driver, lb_id)
    driver.apply(lb_id, CONFIG % dict(values, body='0'))
    master = driver.master_pid(lb_id)
    done = threading.Event()
    wrong = []

    def look():
        while not done.is_set():
            seen = (driver.master_pid(lb_id), driver.crashed(lb_id),
                    driver.process_stats(lb_id) == {})
            if seen != (master, False, False):
                wrong.append(seen)

    looking = threading.Thread(target=look)
    looking.start()
    try:
        for reload in range(1, 11):
            driver.apply(lb_id, CONFIG % dict(values, body=str(reload)))
    finally:
        done.set()
        looking.join()
    assert requests.get(url, timeout=5).text == '10'
    assert driver.reload_count(lb_id) == 10
    assert wrong == [], 'looks that missed the master: %s' % set(wrong)
