"""A controller of a test's own in namespace mode, for UDP listeners: its UDP echo
members live on the bridge's address (on the host, reached from every amphora
namespace through its veth; UDP members are reached from the amphora's namespace,
not from the host as HAProxy's are, so a loopback address will not do)."""
import ipaddress
import os
import subprocess

from heat_lbaas.controller.amphora import haproxy_process
from tests.support import datagram_echo
from tests.support import namespace_controller


class UdpController(namespace_controller.NamespaceController):
    """A namespace-mode controller of the test's own, with its UDP echo members."""

    def __init__(self):
        # Checks each second (Octavia's smallest UDP-CONNECT delay is 3 s).
        super().__init__(
            extra_config='[api_settings]\nudp_connect_min_interval_health_monitor = 1\n')
        # The bridge's own address: on the host, reached from every amphora namespace.
        self.member_address = str(next(ipaddress.ip_network(self.names.cidr).hosts()))
        self.echoes = []

    def stop_members(self):
        for echo in self.echoes:
            echo.stop()

    def echo(self, name, port=0):
        echo = datagram_echo.DatagramEcho(name, self.member_address, port)
        self.echoes.append(echo)
        return echo

    def stop_echo(self, echo):
        echo.stop()
        self.echoes.remove(echo)

    def namespace_of(self, lb_id):
        self.names.namespaces()     # remembered, for the leftovers check
        return super().namespace_of(lb_id)

    def ruleset(self, lb_id):
        """Our table in the amphora's namespace, as nft lists it ('' if none)."""
        result = subprocess.run(['ip', 'netns', 'exec', self.namespace_of(lb_id), 'nft',
                                 'list', 'table', 'ip', 'heat_lbaas'],
                                capture_output=True, text=True, timeout=30)
        return result.stdout

    def kept_ruleset(self, lb_id):
        """The ruleset the driver keeps with the amphora (what it last loaded)."""
        with open(os.path.join(self.running.state_dir, 'amphorae', lb_id,
                               haproxy_process.RULESET_FILE)) as kept:
            return kept.read()
