"""Free loopback ports, chosen at run time so tests and a running devcloud coexist."""
import socket


def free_port(host='127.0.0.1'):
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]
