"""The amphora driver with the real haproxy binary: a configuration that
`haproxy -c` rejects never replaces the one that serves."""
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


def test_rejected_configuration_keeps_the_old_one_serving(driver):
    lb_id = '5f0ef3ec-12fa-4d73-9155-154913663327'
    address = ports.random_loopback_subnet().replace('.0/24', '.9')
    port = ports.free_port(address)
    values = {'stats': driver.stats_socket_path(lb_id), 'address': address,
              'port': port}
    url = 'http://%s:%d/' % (address, port)

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
