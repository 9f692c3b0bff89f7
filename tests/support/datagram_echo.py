"""A UDP echo server in a thread of the test process, on a loopback address of its
own: the datagram backend of UDP load balancing tests."""
import random
import socket
import threading

from tests.support import ports


class DatagramEcho:
    """Answers each datagram with `name` and what it received: b'<name>:<data>'."""

    def __init__(self, name, address=None, port=0):
        """On `address` (default: a loopback address of its own) and `port` (default:
        a free one; given, to start a stopped member again where it was)."""
        if address is None:
            network = ports.random_loopback_subnet()
            address = network.replace('.0/24', '.%d' % random.randint(2, 250))
        self.name = name
        self.address = address
        self.peers = set()      # the addresses datagrams came from
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind((self.address, port))
        self.port = self.socket.getsockname()[1]
        self.socket.settimeout(0.2)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True,
                                        name='datagram-echo-%s' % name)
        self._thread.start()

    def _serve(self):
        while not self._stopped.is_set():
            try:
                data, peer = self.socket.recvfrom(65535)
            except TimeoutError:
                continue
            self.peers.add(peer[0])
            self.socket.sendto(self.name.encode() + b':' + data, peer)

    def stop(self):
        self._stopped.set()
        self._thread.join(timeout=5)
        self.socket.close()
