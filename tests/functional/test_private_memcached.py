"""heat_lbaas/devcloud/memcached.py: a private memcached on a unix socket of its own
(the cache Keystone's workers share), a value one client stores read by another, only
its owner reaching the socket, and nothing left running after stop."""
import socket
import stat

from heat_lbaas.devcloud import memcached
from tests.support.devcloud import is_alive


def _exchange(path, command):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(5)
        client.connect(str(path))
        client.sendall(command)
        return client.recv(256)


def test_values_are_shared_through_a_private_socket_and_nothing_is_left(tmp_path):
    cache = memcached.PrivateMemcached(tmp_path / 'memcached')
    try:
        cache.start()
        pid = cache.pid
        assert is_alive(pid)
        cache.start()                       # running: kept, not started twice
        assert cache.pid == pid
        assert _exchange(cache.socket, b'set k 0 60 5\r\nhello\r\n') == b'STORED\r\n'
        assert _exchange(cache.socket, b'get k\r\n').startswith(b'VALUE k 0 5\r\nhello\r\n')
        assert stat.S_IMODE(cache.socket.stat().st_mode) == 0o600
        assert stat.S_IMODE(cache.base_dir.stat().st_mode) == 0o700
    finally:
        cache.stop()
    assert not is_alive(pid)
    assert cache.pid is None
