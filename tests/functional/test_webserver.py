"""The devcloud web server program, started for real and reached over real HTTP."""

import http.client
import ipaddress
import os
import resource
import signal
import socket
import threading
import time
import uuid

import pytest

from heat_lbaas.devcloud import child_process
from heat_lbaas.devcloud import webserver

# A range of its own, so a running devcloud (127.88.0.0/16) and these tests never collide.
TEST_RANGE = '127.89.0.0/16'


def _free_port():
    # Free on 127.0.0.1 is a good guess for the 127.89/16 addresses too; the server tries
    # other addresses on EADDRINUSE anyway.
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def _wait_ready(state_dir, server_id, pid, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready = webserver.read_ready(state_dir, server_id)
        if ready is not None:
            return ready
        assert webserver.is_running(pid, server_id), webserver.read_log_tail(
            state_dir, server_id)
        time.sleep(0.05)
    pytest.fail('web server not ready after %ss' % timeout)


def _request(method, address, port, path='/', timeout=5):
    connection = http.client.HTTPConnection(address, port, timeout=timeout)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.fixture
def started_servers(tmp_path):
    """Start web servers; stop every one of them (by PID) whatever the test's outcome."""
    started = []

    def start(stack='teststack', resource='server', port=None):
        server_id = str(uuid.uuid4())
        pid = webserver.spawn(server_id, stack, resource, state_dir=str(tmp_path),
                              address_range=TEST_RANGE, port=port or _free_port())
        started.append((server_id, pid))
        ready = _wait_ready(str(tmp_path), server_id, pid)
        return server_id, pid, ready

    yield start
    for server_id, pid in started:
        webserver.stop(server_id, state_dir=str(tmp_path))
        assert not webserver.is_running(pid, server_id)


def test_answers_any_path_with_its_identity(started_servers):
    server_id, pid, ready = started_servers(stack='web', resource='member_0')
    address, port = ready['address'], ready['port']
    assert ipaddress.ip_address(address) in ipaddress.ip_network(TEST_RANGE)
    assert ready['pid'] == pid
    assert ready['url'] == 'http://%s:%d/' % (address, port)
    identity = 'web/member_0 %s:%d' % (address, port)
    for path in ('/', '/some/deep/path?x=1'):
        status, headers, body = _request('GET', address, port, path)
        assert status == 200
        assert body.decode() == 'served-by: %s\n' % identity
        assert headers['X-Served-By'] == identity


def test_head_gets_headers_without_body(started_servers):
    _server_id, _pid, ready = started_servers()
    status, headers, body = _request('HEAD', ready['address'], ready['port'])
    assert status == 200
    assert headers['X-Served-By'].startswith('teststack/server ')
    assert body == b''


def test_other_methods_are_not_implemented(started_servers):
    _server_id, _pid, ready = started_servers()
    assert _request('POST', ready['address'], ready['port'])[0] == 501


def _exchange(address, port, data, timeout=5):
    """What the server sends back for `data` until it closes the connection."""
    with socket.create_connection((address, port), timeout=timeout) as connection:
        connection.sendall(data)
        received = b''
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                return received
            received += chunk


def test_pipelined_requests_are_answered_in_order_on_one_connection(started_servers):
    _server_id, _pid, ready = started_servers()
    began = time.monotonic()
    received = _exchange(ready['address'], ready['port'],
                         b'GET /?sleep=0.3 HTTP/1.1\r\nHost: a\r\n\r\n'
                         b'HEAD /b HTTP/1.1\r\n\r\n'
                         b'GET /c HTTP/1.0\r\n\r\n')
    # The slow first answer holds the two after it back, not the other way round; the
    # HTTP/1.0 request (no keep-alive) ends the connection.
    assert time.monotonic() - began >= 0.3
    answers = received.split(b'HTTP/1.1 ')[1:]
    assert [a.split(b' ', 1)[0] for a in answers] == [b'200'] * 3
    assert [a.endswith(b'served-by: teststack/server %s:%d\n' % (
        ready['address'].encode(), ready['port'])) for a in answers] == [True, False, True]
    assert b'Connection: close' in answers[2]


def test_what_it_cannot_read_is_answered_and_the_connection_closed(started_servers):
    _server_id, _pid, ready = started_servers()
    for request, status in ((b'nonsense\r\n\r\n', b'400'),
                            (b'GET / HTTP/1.1\r\nX: ' + b'a' * 70000, b'431'),
                            (b'PUT / HTTP/1.1\r\nContent-Length: 2\r\n\r\nab', b'501')):
        received = _exchange(ready['address'], ready['port'], request)
        assert received.startswith(b'HTTP/1.1 ' + status), received[:80]
    # And it still answers.
    assert _request('GET', ready['address'], ready['port'])[0] == 200


def test_sleep_answers_later_while_other_connections_are_answered(started_servers):
    _server_id, _pid, ready = started_servers()
    slow = {}

    def ask_slowly():
        began = time.monotonic()
        slow['answer'] = _request('GET', ready['address'], ready['port'], '/?sleep=3',
                                  timeout=30)
        slow['seconds'] = time.monotonic() - began

    asking = threading.Thread(target=ask_slowly)
    asking.start()
    # Answered while the slow request is still waiting (no thread or loop held by it).
    status, headers, _body = _request('GET', ready['address'], ready['port'], '/?sleep=x')
    assert status == 200 and asking.is_alive()
    asking.join(30)
    assert slow['answer'][0] == 200
    assert slow['answer'][1]['X-Served-By'] == headers['X-Served-By']
    assert slow['seconds'] >= 3


def test_runs_with_its_open_file_limit_raised_to_the_hard_limit(started_servers):
    _server_id, pid, _ready = started_servers()
    with open('/proc/%d/limits' % pid) as limits:
        row = next(line for line in limits if line.startswith('Max open files'))
    soft, hard = row.split()[3:5]
    assert soft == hard == str(resource.getrlimit(resource.RLIMIT_NOFILE)[1])


def test_sigterm_ends_it_and_it_removes_its_run_files(started_servers, tmp_path):
    server_id, pid, ready = started_servers()
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while webserver.is_running(pid, server_id) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not webserver.is_running(pid, server_id)
    # The program itself removed them (stop() was not called); the restart file stays
    # for `heat-lbaas-devcloud up`.
    assert not (tmp_path / ('%s.pid' % server_id)).exists()
    assert not (tmp_path / ('%s.ready' % server_id)).exists()
    assert (tmp_path / ('%s.restart' % server_id)).exists()
    assert 'Traceback' not in webserver.read_log_tail(str(tmp_path), server_id)
    with pytest.raises(OSError):
        _request('GET', ready['address'], ready['port'])


def test_servers_on_one_port_get_addresses_of_their_own(started_servers):
    port = _free_port()
    first = started_servers(resource='a', port=port)[2]
    second = started_servers(resource='b', port=port)[2]
    assert first['address'] != second['address']
    assert _request('GET', first['address'], port)[1]['X-Served-By'].startswith('teststack/a ')
    assert _request('GET', second['address'], port)[1]['X-Served-By'].startswith('teststack/b ')


def test_stop_by_pid_leaves_no_process_and_no_files(tmp_path):
    server_id = str(uuid.uuid4())
    pid = webserver.spawn(server_id, 's', 'r', state_dir=str(tmp_path),
                          address_range=TEST_RANGE, port=_free_port())
    try:
        ready = _wait_ready(str(tmp_path), server_id, pid)
        assert webserver.read_pid(str(tmp_path), server_id) == pid
    finally:
        webserver.stop(server_id, state_dir=str(tmp_path))
    assert not webserver.is_running(pid, server_id)
    assert not (tmp_path / ('%s.pid' % server_id)).exists()
    assert not (tmp_path / ('%s.ready' % server_id)).exists()
    with pytest.raises(OSError):
        _request('GET', ready['address'], ready['port'])
    # Stopping again (already gone) is fine.
    webserver.stop(server_id, state_dir=str(tmp_path))


def test_a_killed_server_restarts_on_its_address_until_its_files_are_removed(
        started_servers, tmp_path):
    """What `heat-lbaas-devcloud up` does after a crash, `down` or a reboot: the restart
    file outlives the process and brings it back where the members point; stop (the
    resource's delete) removes it, and nothing restarts then."""
    server_id, pid, ready = started_servers(resource='kept')
    state_dir = str(tmp_path)
    assert child_process.restart_stopped(state_dir) == {}     # it runs: left alone
    os.kill(pid, signal.SIGKILL)
    while webserver.is_running(pid, server_id):
        time.sleep(0.01)
    restarted = child_process.restart_stopped(state_dir)
    assert list(restarted) == [server_id]
    again = _wait_ready(state_dir, server_id, restarted[server_id])
    assert (again['address'], again['port']) == (ready['address'], ready['port'])
    assert _request('GET', again['address'], again['port'])[1]['X-Served-By'] == (
        'teststack/kept %s:%d' % (ready['address'], ready['port']))

    webserver.stop(server_id, state_dir=state_dir)
    assert not (tmp_path / ('%s.restart' % server_id)).exists()
    assert child_process.restart_stopped(state_dir) == {}


def test_refuses_a_range_outside_loopback():
    with pytest.raises(ValueError):
        webserver.check_loopback_range('10.0.0.0/8')
    assert webserver.check_loopback_range(TEST_RANGE).prefixlen == 16


def test_state_dir_follows_the_devcloud_variable(monkeypatch, tmp_path):
    monkeypatch.setenv(webserver.STATE_DIR_VARIABLE, str(tmp_path))
    assert webserver.default_state_dir() == str(tmp_path / 'webservers')
    monkeypatch.delenv(webserver.STATE_DIR_VARIABLE)
    monkeypatch.setenv('XDG_STATE_HOME', str(tmp_path / 'state'))
    assert webserver.default_state_dir() == str(
        tmp_path / 'state' / 'heat-lbaas-devcloud' / 'webservers')
