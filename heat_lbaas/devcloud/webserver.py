"""A devcloud web server: one process that answers every request with its own identity.

Run as `python -m heat_lbaas.devcloud.webserver --server-id ID --stack S --resource R`.
It binds a random address of its own in a loopback range (default 127.88.0.0/16, which
Linux routes to `lo` with no setup), so every server can use the same port, and answers
every GET/HEAD on any path with 200 (`?sleep=SECONDS`: that much later), a body
`served-by: <stack>/<resource> <address>:<port>` and the header X-Served-By with the same identity. That is how traffic through a load
balancer shows which member served it.

Files, all in the state directory (`$HEAT_LBAAS_DEVCLOUD_DIR/webservers`, or
`$XDG_STATE_HOME/heat-lbaas-devcloud/webservers` = `~/.local/state/...` without it):
  <server-id>.pid    the PID, written first (what `heat-lbaas-devcloud down` stops)
  <server-id>.ready  JSON {"address", "port", "url", "pid"}, written once it listens
  <server-id>.log    stdout/stderr of the process
The functions below (spawn, read_ready, stop, ...) are the only readers and writers of these
files besides the program itself; LBaaS::Dev::WebServer and the devcloud use them.
"""

import argparse
import errno
import http.server
import ipaddress
import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.parse

STATE_DIR_VARIABLE = 'HEAT_LBAAS_DEVCLOUD_DIR'
DEFAULT_ADDRESS_RANGE = '127.88.0.0/16'
DEFAULT_PORT = 8080
LOOPBACK_RANGE = ipaddress.ip_network('127.0.0.0/8')
MODULE = 'heat_lbaas.devcloud.webserver'

# How many random addresses to try before giving up on a crowded range.
_BIND_ATTEMPTS = 64


# --- the state directory and its files ------------------------------------------------

def default_state_dir():
    """Where pid, ready and log files go when no directory is given."""
    devcloud_dir = os.environ.get(STATE_DIR_VARIABLE)
    if devcloud_dir:
        return os.path.join(devcloud_dir, 'webservers')
    state_home = os.environ.get('XDG_STATE_HOME') or os.path.expanduser('~/.local/state')
    return os.path.join(state_home, 'heat-lbaas-devcloud', 'webservers')


def pid_file(state_dir, server_id):
    return os.path.join(state_dir, '%s.pid' % server_id)


def ready_file(state_dir, server_id):
    return os.path.join(state_dir, '%s.ready' % server_id)


def log_file(state_dir, server_id):
    return os.path.join(state_dir, '%s.log' % server_id)


def _write_atomically(path, text):
    # Readers poll for these files: they must never see a half-written one.
    temporary = '%s.tmp%d' % (path, os.getpid())
    with open(temporary, 'w') as f:
        f.write(text)
    os.replace(temporary, path)


def read_pid(state_dir, server_id):
    try:
        with open(pid_file(state_dir, server_id)) as f:
            return int(f.read().strip())
    except (FileNotFoundError, ValueError):
        return None


def read_ready(state_dir, server_id):
    """{"address", "port", "url", "pid"} once the server listens, else None."""
    try:
        with open(ready_file(state_dir, server_id)) as f:
            return json.load(f)
    except (FileNotFoundError, ValueError):
        return None


def read_log_tail(state_dir, server_id, limit=2000):
    try:
        with open(log_file(state_dir, server_id), errors='replace') as f:
            return f.read()[-limit:]
    except FileNotFoundError:
        return ''


def remove_files(state_dir, server_id):
    """Remove the pid and ready files (the log stays for post-mortems)."""
    for path in (pid_file(state_dir, server_id), ready_file(state_dir, server_id)):
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


# --- starting and stopping (used by the Heat resource, the devcloud and tests) --------

def check_loopback_range(address_range):
    """The range as an ip_network; ValueError unless it lies inside 127.0.0.0/8."""
    network = ipaddress.ip_network(address_range, strict=False)
    if network.version != 4 or not network.subnet_of(LOOPBACK_RANGE):
        raise ValueError('address range %s is not inside %s' % (address_range, LOOPBACK_RANGE))
    return network


def spawn(server_id, stack, resource, state_dir=None, address_range=DEFAULT_ADDRESS_RANGE,
          port=DEFAULT_PORT):
    """Start a detached server process; return its PID (the files appear soon after).

    Detached: its own session (no signal from the caller's terminal or process group),
    no inherited file descriptors, output to the log file, so it outlives the request
    (or the Heat engine) that started it.
    """
    state_dir = state_dir or default_state_dir()
    os.makedirs(state_dir, exist_ok=True)
    command = [
        sys.executable, '-m', MODULE,
        '--server-id', server_id, '--stack', stack, '--resource', resource,
        '--state-dir', state_dir, '--address-range', address_range, '--port', str(port),
    ]
    with open(log_file(state_dir, server_id), 'ab') as log:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            close_fds=True, start_new_session=True, cwd='/')
    _wait_for_exec(process, server_id)
    return process.pid


def _wait_for_exec(process, server_id, timeout=10.0):
    """Return once the child runs this program (or has exited).

    Between fork and exec, /proc/<pid>/cmdline still shows the parent's command, so
    is_running() would call a healthy new server dead; callers may rely on it as
    soon as spawn() returns."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if is_running(process.pid, server_id):
            return
        time.sleep(0.005)


def _reap_if_our_child(pid):
    # The starter is the parent: without waiting, a stopped server would stay a zombie
    # (and look alive to kill(pid, 0)) for as long as the starter runs.
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def is_running(pid, server_id):
    """Whether `pid` is still the server `server_id` (and not a zombie or a reused PID)."""
    if pid is None:
        return False
    _reap_if_our_child(pid)
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as f:
            arguments = f.read().split(b'\0')
        with open('/proc/%d/stat' % pid) as f:
            state = f.read().rsplit(')', 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return (state != 'Z' and MODULE.encode() in arguments
            and server_id.encode() in arguments)


def send_signal(pid, server_id, signum):
    """Signal the server if `pid` is still it; return whether a signal was sent."""
    if not is_running(pid, server_id):
        return False
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        return False
    return True


def stop(server_id, state_dir=None, grace_seconds=5.0):
    """Stop a server by its pid file (SIGTERM, wait, SIGKILL) and remove its files.

    Blocking; returns once the process is gone. Fine when it is already gone.
    """
    state_dir = state_dir or default_state_dir()
    pid = read_pid(state_dir, server_id)
    if send_signal(pid, server_id, signal.SIGTERM):
        deadline = time.monotonic() + grace_seconds
        while is_running(pid, server_id) and time.monotonic() < deadline:
            time.sleep(0.05)
        if send_signal(pid, server_id, signal.SIGKILL):
            while is_running(pid, server_id):
                time.sleep(0.05)
    remove_files(state_dir, server_id)


# --- the server program ----------------------------------------------------------------

class IdentityHandler(http.server.BaseHTTPRequestHandler):
    """Answers every GET and HEAD with 200 and the server's identity."""

    identity = None  # set once by main(): one server per process
    protocol_version = 'HTTP/1.1'

    def _answer(self, with_body):
        # `?sleep=SECONDS` (at most 30) answers that much later: a slow request, to show
        # that a member leaving its pool is drained before it goes.
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        try:
            delay = min(30.0, max(0.0, float(query.get('sleep', ['0'])[0])))
        except ValueError:
            delay = 0.0
        if delay:
            time.sleep(delay)
        body = ('served-by: %s\n' % self.identity).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain; charset=utf-8')
        self.send_header('Content-Length', str(len(body)))
        self.send_header('X-Served-By', self.identity)
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_GET(self):
        self._answer(with_body=True)

    def do_HEAD(self):
        self._answer(with_body=False)

    def log_message(self, format, *args):
        # Health checks hit every member every few seconds; logging each one would only
        # grow the log file.
        pass


def bind_random_address(network, port, rng=random):
    """A listening ThreadingHTTPServer on a random free address of `network`."""
    hosts = list(network.hosts()) if network.num_addresses <= 4096 else None
    last_error = None
    for _attempt in range(_BIND_ATTEMPTS):
        if hosts is not None:
            address = str(rng.choice(hosts))
        else:
            # Skip the network and broadcast addresses of big ranges without listing them.
            address = str(network[rng.randrange(1, network.num_addresses - 1)])
        try:
            server = http.server.ThreadingHTTPServer((address, port), IdentityHandler)
        except OSError as ex:
            if ex.errno != errno.EADDRINUSE:
                raise
            last_error = ex
            continue
        return server
    raise OSError(errno.EADDRINUSE, 'no free address in %s for port %d after %d tries: %s'
                  % (network, port, _BIND_ATTEMPTS, last_error))


def _exit_on_sigterm(signum, frame):
    # Leaves serve_forever() through SystemExit, so the finally clause cleans up.
    sys.exit(0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--server-id', required=True,
                        help='Unique id; names the pid, ready and log files.')
    parser.add_argument('--stack', required=True, help='Stack name, for the identity.')
    parser.add_argument('--resource', required=True, help='Resource name, for the identity.')
    parser.add_argument('--state-dir', default=None,
                        help='Directory of the pid/ready/log files (default: %s).'
                        % default_state_dir())
    parser.add_argument('--address-range', default=DEFAULT_ADDRESS_RANGE,
                        help='Loopback range to pick the address from.')
    parser.add_argument('--port', type=int, default=DEFAULT_PORT, help='Port to listen on.')
    args = parser.parse_args(argv)

    state_dir = args.state_dir or default_state_dir()
    os.makedirs(state_dir, exist_ok=True)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    _write_atomically(pid_file(state_dir, args.server_id), '%d\n' % os.getpid())
    try:
        network = check_loopback_range(args.address_range)
        server = bind_random_address(network, args.port)
        address, port = server.server_address[:2]
        server.daemon_threads = True
        IdentityHandler.identity = '%s/%s %s:%d' % (args.stack, args.resource, address, port)
        _write_atomically(ready_file(state_dir, args.server_id), json.dumps({
            'address': address, 'port': port, 'url': 'http://%s:%d/' % (address, port),
            'pid': os.getpid()}))
        print('listening on %s:%d as %s' % (address, port, IdentityHandler.identity),
              flush=True)
        server.serve_forever()
    finally:
        remove_files(state_dir, args.server_id)


if __name__ == '__main__':
    main()
