"""UDP load balancers through the API, and datagrams sent to their VIPs."""
import socket
import threading
import time


def ask(vip, port, payload=b'ping', timeout=2.0):
    """Send one datagram from a socket of its own (so a flow of its own: conntrack
    keeps a socket's later datagrams on the member of its first) and return the
    answering member's name, or None if nothing came back within `timeout`."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
        client.settimeout(timeout)
        client.connect((vip, port))
        try:
            client.send(payload)
            answer = client.recv(65535)
        except OSError:     # timeout, or ICMP unreachable on the connected socket
            return None
    name, _, echoed = answer.partition(b':')
    assert echoed == payload, answer
    return name.decode()


def build_udp_lb(api, members, port, algorithm='ROUND_ROBIN', persistence=None,
                 monitor=None, name='udp'):
    """A load balancer with one UDP listener on `port` whose default pool has the
    DatagramEcho `members`; `monitor`: health monitor fields (type UDP-CONNECT by
    default). Returns (lb, listener, pool), ACTIVE."""
    lb = api.new_loadbalancer(name=name)
    listener = api.create_child(lb['id'], 'listeners', 'listener',
                                loadbalancer_id=lb['id'], protocol='UDP',
                                protocol_port=port)
    pool_fields = {'session_persistence': persistence} if persistence else {}
    pool = api.create_child(lb['id'], 'pools', 'pool', listener_id=listener['id'],
                            protocol='UDP', lb_algorithm=algorithm, **pool_fields)
    for echo in members:
        add_member(api, lb['id'], pool['id'], echo)
    if monitor is not None:
        api.create_child(lb['id'], 'healthmonitors', 'healthmonitor',
                         pool_id=pool['id'], **dict({'type': 'UDP-CONNECT'}, **monitor))
    return lb, listener, pool


def add_member(api, lb_id, pool_id, echo):
    return api.create_child(lb_id, 'pools/%s/members' % pool_id, 'member',
                            address=echo.address, protocol_port=echo.port,
                            name=echo.name)


class DatagramLoop:
    """Datagrams to the VIP, each from a socket of its own, until stopped: who
    answered each, and how many got no answer."""

    def __init__(self, vip, port, timeout=2.0):
        self.vip, self.port, self.timeout = vip, port, timeout
        self.answers = []
        self.lost = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name='datagram-loop')

    def _run(self):
        while not self._stop.is_set():
            answer = ask(self.vip, self.port, timeout=self.timeout)
            if answer is None:
                self.lost += 1
            self.answers.append(answer)
            time.sleep(0.01)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=self.timeout + 5)

    def answered_since(self, count):
        """The members that answered after the first `count` datagrams."""
        return set(self.answers[count:]) - {None}

    def wait_for_answer_from(self, name, timeout=15):
        start = len(self.answers)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if name in self.answers[start:]:
                return
            time.sleep(0.05)
        raise AssertionError('%s never answered; answers: %s'
                             % (name, self.answers[start:][-20:]))
