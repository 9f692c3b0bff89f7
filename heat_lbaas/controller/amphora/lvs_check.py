"""The health check keepalived runs (MISC_CHECK) for a UDP-CONNECT monitor:
`python -m heat_lbaas.controller.amphora.lvs_check udp TIMEOUT ADDRESS PORT`.

As Octavia's udp_check.sh (`nc -uz`): one datagram to the member, which is down
only if the answer is an ICMP port unreachable (a refused connection on the
connected socket). A reply, or silence for TIMEOUT seconds, counts as up: UDP has
no handshake, and most UDP services do not answer an empty datagram.
Exit status 0: up, 1: down (keepalived's MISC_CHECK convention).
"""
import ipaddress
import socket
import sys

UP, DOWN, USAGE = 0, 1, 2


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


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 4 or argv[0] != 'udp':
        print('usage: lvs_check udp TIMEOUT ADDRESS PORT', file=sys.stderr)
        return USAGE
    _, timeout, address, port = argv
    return UP if udp_member_up(address, int(port), float(timeout)) else DOWN


if __name__ == '__main__':
    sys.exit(main())
