import os
import pathlib
import shutil
import tempfile

import pytest

from tests.support import controller as controller_support
from tests.support import echo_server as echo_servers
from tests.support import gate as gate_support
from tests.support import inprocess_controller
from tests.support import octavia_api
from tests.support import processes
from tests.support import web_servers


@pytest.fixture(scope='module')
def controller_dir():
    directory = controller_support.short_state_dir()
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope='module')
def haproxy_gate(request, controller_dir):
    """close() holds the worker before it applies a change, open() lets it go on."""
    if request.node.get_closest_marker('noop_amphorae'):
        # No haproxy binary to hold: the in-process controller holds its worker.
        yield request.getfixturevalue('controller').gate
        return
    gate = gate_support.HaproxyGate(controller_dir)
    yield gate
    gate.open()


@pytest.fixture(scope='module')
def controller(request, controller_dir):
    """The module's controller: a process with HAProxy amphorae, or in this process
    with the noop amphora driver in modules marked noop_amphorae."""
    if request.node.get_closest_marker('noop_amphorae'):
        in_process = inprocess_controller.InProcessController(
            os.path.join(controller_dir, 'state'))
        in_process.start()
        try:
            yield in_process
        finally:
            in_process.stop()
        return
    haproxy_gate = request.getfixturevalue('haproxy_gate')
    running = controller_support.RunningController(
        os.path.join(controller_dir, 'state'), haproxy_binary=haproxy_gate.binary)
    running.start()
    try:
        yield running
    finally:
        haproxy_gate.open()
        running.stop()
        leftovers = processes.with_argument_containing(running.state_dir + '/amphorae/')
        assert leftovers == [], 'HAProxy left running after controller stop'


@pytest.fixture
def own_controller():
    """A controller of the test's own (it gets killed or restarted), behind an
    HAProxy gate."""
    directory = controller_support.short_state_dir()
    gate = gate_support.HaproxyGate(directory)
    running = controller_support.RunningController(
        os.path.join(directory, 'state'), haproxy_binary=gate.binary)
    running.gate = gate
    running.start()
    try:
        yield running
    finally:
        gate.open()
        running.stop()
        leftovers = processes.with_argument_containing(running.state_dir + '/amphorae/')
        shutil.rmtree(directory, ignore_errors=True)
        assert leftovers == [], 'HAProxy left running after heat-lbaas-amphorae stop'


@pytest.fixture
def certificate_dir(controller):
    """A directory of this test's own inside the controller's certificate directory."""
    directory = tempfile.mkdtemp(dir=controller.certificate_dir)
    yield pathlib.Path(directory)
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def api(controller):
    return octavia_api.OctaviaApi(controller.url)


@pytest.fixture
def servers(controller_dir):
    started = web_servers.WebServers(os.path.join(controller_dir, 'webservers'))
    yield started
    started.stop_all()


@pytest.fixture
def echo_server():
    """echo_server(name, **options): a running EchoServer, stopped after the test."""
    started = []

    def start(name, **options):
        server = echo_servers.EchoServer(name, **options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def loadbalancer(api):
    lb = api.new_loadbalancer()
    yield lb
    api.delete_loadbalancer(lb['id'])
