"""Hand-written HAProxy processes for the benchmarks, stopped by PID: a fast native
backend that answers every request itself (`http-request return`: no Python in the
path) and a minimal HTTP proxy to a backend (the physical limit of a proxy hop)."""
import os
import shutil
import socket
import subprocess
import tempfile
import time

# Both: HAProxy's defaults for everything but the timeouts any proxy needs.
_COMMON = '''global
    maxconn 4000

defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
'''
BACKEND = _COMMON + '''
frontend backend
    bind {address}:{port}
    http-request return status 200 content-type text/plain string "ok"
'''
# The least an HTTP proxy needs.
MINIMAL_PROXY = _COMMON + '''
frontend proxy
    bind {address}:{port}
    default_backend backend

backend backend
    server backend {backend_address}:{backend_port}
'''


class Haproxy:
    """One HAProxy process (foreground, its own session) from a configuration text."""

    def __init__(self, config, address, port):
        self.address, self.port = address, port
        self.url = 'http://%s:%d/' % (address, port)
        self.dir = tempfile.mkdtemp(prefix='hlb-bench-haproxy-')
        self.config_path = os.path.join(self.dir, 'haproxy.cfg')
        with open(self.config_path, 'w') as out:
            out.write(config)
        self.process = None

    def start(self, timeout=10):
        haproxy = shutil.which('haproxy') or '/usr/sbin/haproxy'
        self.process = subprocess.Popen(
            [haproxy, '-db', '-f', self.config_path], stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('haproxy exited with %s (%s)'
                                   % (self.process.returncode, self.config_path))
            try:
                with socket.create_connection((self.address, self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise RuntimeError('haproxy did not listen on %s:%d' % (self.address, self.port))

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def backend(address, port):
    return Haproxy(BACKEND.format(address=address, port=port), address, port)


def minimal_proxy(address, port, backend_address, backend_port):
    return Haproxy(MINIMAL_PROXY.format(address=address, port=port,
                                        backend_address=backend_address,
                                        backend_port=backend_port), address, port)
