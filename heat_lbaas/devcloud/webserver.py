"""A devcloud web server: one process that answers every request with its own identity.

Run as `python -m heat_lbaas.devcloud.webserver --server-id ID --stack S --resource R`.
It binds a random address of its own in a loopback range (default 127.88.0.0/16, which
Linux routes to `lo` with no setup), so every server can use the same port, and answers
every GET/HEAD on any path with 200 (`?sleep=SECONDS`: that much later), a body
`served-by: <stack>/<resource> <address>:<port>` and the header X-Served-By with the same
identity. That is how traffic through a load balancer shows which member served it.

It is served by a small HTTP/1.1 protocol (identity_http.py) on one uvloop event loop:
keep-alive clients are not held up by small writes (TCP_NODELAY) and 1,000+ concurrent
connections are fine (it raises its open-file limit to the hard limit and the listen
backlog to 4,096).

Files, all in the state directory (`$HEAT_LBAAS_DEVCLOUD_DIR/webservers`, or
`$XDG_STATE_HOME/heat-lbaas-devcloud/webservers` = `~/.local/state/...` without it):
  <server-id>.pid    the PID, written first (what `heat-lbaas-devcloud down` stops)
  <server-id>.ready  JSON {"address", "port", "url", "pid"}, written once its socket
                     listens (connections queue in the kernel until it answers)
  <server-id>.log    stdout/stderr of the process
  <server-id>.restart  how `heat-lbaas-devcloud up` starts it again, on the same address
The functions below (spawn, read_ready, stop, ...) are the only readers and writers of these
files besides the program itself; LBaaS::Dev::WebServer and the devcloud use them.
"""

import argparse
import errno
import ipaddress
import json
import os
import random
import resource
import signal
import socket

from heat_lbaas.devcloud import child_process

STATE_DIR_VARIABLE = child_process.STATE_DIR_VARIABLE
DEFAULT_ADDRESS_RANGE = '127.88.0.0/16'
DEFAULT_PORT = 8080
LOOPBACK_RANGE = ipaddress.ip_network('127.0.0.0/8')
MODULE = 'heat_lbaas.devcloud.webserver'

# How many random addresses to try before giving up on a crowded range.
_BIND_ATTEMPTS = 64
# Pending connections the kernel queues before the server accepts them: a burst of
# 1,000+ connections through a load balancer must not overflow it (the kernel caps it at
# net.core.somaxconn).
LISTEN_BACKLOG = 4096


# --- the state directory and its files ------------------------------------------------

def default_state_dir():
    """Where pid, ready and log files go when no directory is given."""
    return child_process.default_state_dir('webservers')


# The files (pid, ready, log) and their readers are child_process's.
pid_file = child_process.pid_file
ready_file = child_process.ready_file
log_file = child_process.log_file
read_pid = child_process.read_pid
read_ready = child_process.read_ready     # {"address", "port", "url", "pid"} once listening
read_log_tail = child_process.read_log_tail
remove_files = child_process.remove_files


# --- starting and stopping (used by the Heat resource, the devcloud and tests) --------

def check_loopback_range(address_range):
    """The range as an ip_network; ValueError unless it lies inside 127.0.0.0/8."""
    network = ipaddress.ip_network(address_range, strict=False)
    if network.version != 4 or not network.subnet_of(LOOPBACK_RANGE):
        raise ValueError('address range %s is not inside %s' % (address_range, LOOPBACK_RANGE))
    return network


def spawn(server_id, stack, resource, state_dir=None, address_range=DEFAULT_ADDRESS_RANGE,
          port=DEFAULT_PORT):
    """Start a detached server process (child_process.spawn); return its PID (the
    files appear soon after)."""
    state_dir = state_dir or default_state_dir()
    return child_process.spawn(MODULE, server_id, [
        '--server-id', server_id, '--stack', stack, '--resource', resource,
        '--state-dir', state_dir, '--address-range', address_range, '--port', str(port),
    ], state_dir)


def is_running(pid, server_id):
    """Whether `pid` is still the server `server_id` (and not a zombie or a reused PID)."""
    return child_process.is_running(pid, MODULE, server_id)


def send_signal(pid, server_id, signum):
    """Signal the server if `pid` is still it; return whether a signal was sent."""
    return child_process.send_signal(pid, MODULE, server_id, signum)


def stop(server_id, state_dir=None, grace_seconds=5.0):
    """Stop a server by its pid file (SIGTERM, wait, SIGKILL) and remove its files."""
    child_process.stop(MODULE, server_id, state_dir or default_state_dir(), grace_seconds)


# --- the server program ----------------------------------------------------------------

def listen_on(address, port):
    """A socket listening on address:port (OSError EADDRINUSE when taken)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        # A restart binds its old address again while connections of the killed
        # process linger in TIME_WAIT. (Not SO_REUSEPORT: two servers must never share
        # an address and port.)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, port))
        sock.listen(LISTEN_BACKLOG)
    except BaseException:
        sock.close()
        raise
    return sock


def bind_random_address(network, port, rng=random):
    """A socket listening on a random free address of `network`."""
    hosts = list(network.hosts()) if network.num_addresses <= 4096 else None
    last_error = None
    for _attempt in range(_BIND_ATTEMPTS):
        if hosts is not None:
            address = str(rng.choice(hosts))
        else:
            # Skip the network and broadcast addresses of big ranges without listing them.
            address = str(network[rng.randrange(1, network.num_addresses - 1)])
        try:
            return listen_on(address, port)
        except OSError as ex:
            if ex.errno != errno.EADDRINUSE:
                raise
            last_error = ex
    raise OSError(errno.EADDRINUSE, 'no free address in %s for port %d after %d tries: %s'
                  % (network, port, _BIND_ATTEMPTS, last_error))


def raise_open_file_limit():
    """Soft RLIMIT_NOFILE up to the hard one: each connection is a file descriptor, and
    the common soft limit (1,024) is too few for 1,000+ concurrent connections."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


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
    parser.add_argument('--address', default=None,
                        help='Listen on this address of the range instead of a random '
                             'one (a restart keeps the address the members point at).')
    args = parser.parse_args(argv)

    state_dir = args.state_dir or default_state_dir()
    os.makedirs(state_dir, exist_ok=True)
    # Until the event loop takes SIGTERM over, it leaves through the finally below.
    signal.signal(signal.SIGTERM, child_process.exit_on_sigterm)
    child_process.write_atomically(pid_file(state_dir, args.server_id), '%d\n' % os.getpid())
    try:
        raise_open_file_limit()
        network = check_loopback_range(args.address_range)
        if args.address:
            if ipaddress.ip_address(args.address) not in network:
                raise ValueError('%s is not in %s' % (args.address, network))
            listening = listen_on(args.address, args.port)
        else:
            listening = bind_random_address(network, args.port)
        address, port = listening.getsockname()[:2]
        identity = '%s/%s %s:%d' % (args.stack, args.resource, address, port)

        # Ready as soon as the socket listens: the kernel queues connections until the
        # event loop accepts them, so announcing before importing asyncio and uvloop
        # (about 0.1 s, most of the server's start) only makes the first answer wait
        # for the import, never fail; a scale-up's Heat waits for this file.
        child_process.write_atomically(ready_file(state_dir, args.server_id), json.dumps({
            'address': address, 'port': port, 'url': 'http://%s:%d/' % (address, port),
            'pid': os.getpid()}))
        child_process.record_restart(state_dir, args.server_id, MODULE, [
            '--server-id', args.server_id, '--stack', args.stack,
            '--resource', args.resource, '--state-dir', state_dir,
            '--address-range', args.address_range, '--port', str(port),
            '--address', address])
        print('listening on %s:%d as %s' % (address, port, identity), flush=True)

        # asyncio and uvloop are imported by the server process only, not by the Heat
        # engine that imports this module to start and stop servers.
        from heat_lbaas.devcloud import identity_http
        identity_http.run(listening, LISTEN_BACKLOG, identity)
    finally:
        child_process.remove_run_files(state_dir, args.server_id)


if __name__ == '__main__':
    main()
