"""The controller's own safety at start: HAProxy's socket directory is private, the
file-descriptor limit fits connection_limit. Real directories and real rlimits, in
this process (the limit tests restore it)."""
import os
import resource

import pytest

from heat_lbaas.controller import process_limits
from heat_lbaas.controller.amphora import private_dir


def test_the_socket_directory_is_created_private_whatever_the_umask(tmp_path):
    previous_umask = os.umask(0)
    try:
        path = private_dir.ensure(str(tmp_path / 'sockets'))
    finally:
        os.umask(previous_umask)
    assert os.stat(path).st_mode & 0o777 == 0o700
    assert private_dir.ensure(path) == path     # ours and private: used again


def test_a_socket_directory_others_can_enter_is_refused(tmp_path):
    path = tmp_path / 'sockets'
    path.mkdir()
    os.chmod(path, 0o755)
    with pytest.raises(private_dir.UnsafeDirectory, match='mode 755.*must be 0700'):
        private_dir.ensure(str(path))


@pytest.mark.skipif(os.geteuid() != 0, reason='giving a directory away needs root')
def test_a_socket_directory_of_another_user_is_refused(tmp_path):
    path = tmp_path / 'sockets'
    path.mkdir(mode=0o700)
    os.chown(path, 65534, 65534)
    with pytest.raises(private_dir.UnsafeDirectory, match='belongs to user 65534'):
        private_dir.ensure(str(path))


def test_a_symbolic_link_instead_of_the_socket_directory_is_refused(tmp_path):
    target = tmp_path / 'elsewhere'
    target.mkdir(mode=0o700)
    os.symlink(target, tmp_path / 'sockets')
    with pytest.raises(private_dir.UnsafeDirectory, match='not a directory'):
        private_dir.ensure(str(tmp_path / 'sockets'))


@pytest.fixture
def restored_nofile():
    limits = resource.getrlimit(resource.RLIMIT_NOFILE)
    yield limits
    resource.setrlimit(resource.RLIMIT_NOFILE, limits)


def test_the_soft_descriptor_limit_is_raised_to_what_connections_need(restored_nofile):
    hard = restored_nofile[1]
    needed = process_limits.needed_descriptors(1000)
    assert hard == resource.RLIM_INFINITY or hard >= needed + 1
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed - 200, hard))
    assert process_limits.raise_descriptor_limit(1000) == needed
    assert resource.getrlimit(resource.RLIMIT_NOFILE) == (needed, hard)


def test_a_hard_limit_too_low_for_the_connections_is_refused_clearly(restored_nofile):
    soft = min(restored_nofile[0], 1024)
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, restored_nofile[1]))
    too_many = restored_nofile[1] if restored_nofile[1] != resource.RLIM_INFINITY \
        else 2 ** 40
    with pytest.raises(process_limits.LimitError,
                       match='connection_limit = %d needs' % too_many):
        process_limits.raise_descriptor_limit(too_many)
    assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] == soft
