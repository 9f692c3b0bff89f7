"""Stopping and starting a stack's web servers, for the member-failure scenario.

`[heat_lbaas] server_control` chooses how: `devcloud` kills the LBaaS::Dev::WebServer
process (SIGKILL: a crash, not a shutdown) and starts it again on the same address as
`heat-lbaas-devcloud up` does; `nova` stops and starts the OS::Nova::Server."""
import os
import signal

from tempest.common import waiters
from tempest import config

CONF = config.CONF


class DevcloudServers:
    resource_type = 'LBaaS::Dev::WebServer'

    def __init__(self, credentials_manager):
        # Imported here: only this mode needs the devcloud (a real cloud has none).
        from heat_lbaas.devcloud import child_process
        from heat_lbaas.devcloud import webserver
        self._child_process, self._webserver = child_process, webserver
        state_dir = CONF.heat_lbaas.devcloud_state_dir
        if not state_dir:
            raise RuntimeError('[heat_lbaas] server_control = devcloud needs '
                               'devcloud_state_dir (HEAT_LBAAS_DEVCLOUD_DIR)')
        self._state_dir = os.path.join(state_dir, 'webservers')

    def address(self, server_id):
        return self._webserver.read_ready(self._state_dir, server_id)['address']

    def kill(self, server_id):
        pid = self._webserver.read_pid(self._state_dir, server_id)
        if not self._webserver.send_signal(pid, server_id, signal.SIGKILL):
            raise RuntimeError('web server %s (PID %s) is not running' % (server_id, pid))

    def start(self, server_id):
        started = self._child_process.restart_stopped(self._state_dir)
        if server_id not in started:
            raise RuntimeError('web server %s was not started again (started: %s)'
                               % (server_id, sorted(started)))


class NovaServers:
    resource_type = 'OS::Nova::Server'

    def __init__(self, credentials_manager):
        self._servers = credentials_manager.servers_client

    def address(self, server_id):
        addresses = self._servers.show_server(server_id)['server']['addresses']
        return next(entry['addr'] for network in addresses.values() for entry in network)

    def kill(self, server_id):
        self._servers.stop_server(server_id)
        waiters.wait_for_server_status(self._servers, server_id, 'SHUTOFF')

    def start(self, server_id):
        self._servers.start_server(server_id)
        waiters.wait_for_server_status(self._servers, server_id, 'ACTIVE')


CONTROLS = {'devcloud': DevcloudServers, 'nova': NovaServers}


def for_config(credentials_manager):
    return CONTROLS[CONF.heat_lbaas.server_control](credentials_manager)
