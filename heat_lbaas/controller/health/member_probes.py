"""The checks of UDP pools' members (health/udp_checks.py runs them), as
keepalived runs them for Octavia's LVS real servers.

UDP-CONNECT, as Octavia's udp_check.sh (`nc -uz`): one datagram to the member,
which is down only if the answer is an ICMP port unreachable (a refused connection
on the connected socket). A reply, or silence for `timeout` seconds, counts as up:
UDP has no handshake, and most UDP services do not answer an empty datagram.
TCP and HTTP as keepalived's TCP_CHECK and HTTP_GET.
"""
import http.client
import ipaddress
import socket


def udp_member_up(address, port, timeout):
    family = socket.AF_INET6 if ipaddress.ip_address(address).version == 6 \
        else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as probe:
        probe.settimeout(timeout)
        try:
            probe.connect((address, port))
            probe.send(b'')
            probe.recv(1)
        except ConnectionRefusedError:
            return False
        except TimeoutError:
            return True
        except OSError:
            # Unreachable host or network: down as well.
            return False
    return True


def tcp_member_up(address, port, timeout):
    """keepalived's TCP_CHECK: a connection is accepted within `timeout`."""
    try:
        with socket.create_connection((address, port), timeout=timeout):
            return True
    except OSError:
        return False


def http_member_up(address, port, timeout, url_path, expected_codes):
    """keepalived's HTTP_GET: a GET of `url_path` answered with one of
    `expected_codes` (ints) within `timeout`."""
    connection = http.client.HTTPConnection(address, port, timeout=timeout)
    try:
        connection.request('GET', url_path)
        return connection.getresponse().status in expected_codes
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()

