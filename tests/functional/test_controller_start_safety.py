"""A real controller process at start: it raises its own descriptor limit to what
`[api] connection_limit` needs, and refuses to start, saying why, when it cannot
have that limit or when HAProxy's socket directory is not private."""
import hashlib
import os
import resource
import shutil
import tempfile

import pytest

from tests.support import controller as controller_support


@pytest.fixture
def state_dir():
    directory = controller_support.short_state_dir()
    yield os.path.join(directory, 'state')
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def low_soft_nofile():
    """Children started meanwhile inherit a soft limit of 256 open files."""
    limits = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, limits[1]))
    yield limits
    resource.setrlimit(resource.RLIMIT_NOFILE, limits)


def soft_nofile_of(pid):
    with open('/proc/%d/limits' % pid) as limits:
        line = next(row for row in limits if row.startswith('Max open files'))
    return int(line.split()[3])


def socket_dir_of(state_dir):
    # As heat_lbaas/controller/amphora/haproxy_process.py derives it.
    digest = hashlib.sha1(os.path.abspath(state_dir).encode()).hexdigest()[:10]
    return os.path.join(tempfile.gettempdir(), 'hlb-%s' % digest)


def test_the_controller_raises_its_descriptor_limit_for_its_connections(
        state_dir, low_soft_nofile):
    running = controller_support.RunningController(state_dir)
    with open(running.config_path, 'a') as config:
        config.write('[api]\nconnection_limit = 1500\n')
    running.start()
    try:
        assert soft_nofile_of(running.process.pid) == 1500 + 256
    finally:
        running.stop()


def test_the_controller_refuses_to_start_without_enough_descriptors(state_dir):
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    assert hard != resource.RLIM_INFINITY
    running = controller_support.RunningController(state_dir)
    with open(running.config_path, 'a') as config:
        config.write('[api]\nconnection_limit = %d\n' % hard)
    with pytest.raises(RuntimeError, match='controller exited with 1') as failure:
        running.start()
    assert ('Refusing to start: [api] connection_limit = %d needs %d open files'
            % (hard, hard + 256)) in str(failure.value)


def test_the_controller_refuses_a_socket_directory_others_can_enter(state_dir):
    running = controller_support.RunningController(state_dir)
    sockets = socket_dir_of(state_dir)
    os.mkdir(sockets)
    try:
        os.chmod(sockets, 0o777)
        with pytest.raises(RuntimeError, match='controller exited with 1') as failure:
            running.start()
        assert 'Refusing to start: %s has mode 777' % sockets in str(failure.value)
    finally:
        os.rmdir(sockets)


def test_the_socket_directory_is_private_while_the_controller_runs(state_dir):
    running = controller_support.RunningController(state_dir).start()
    try:
        info = os.stat(socket_dir_of(state_dir))
        assert (info.st_mode & 0o777, info.st_uid) == (0o700, os.geteuid())
    finally:
        running.stop()
