"""LBaaS::Dev::WebServer: a local web server process standing in for a Nova server.

devcloud only: the process runs on the Heat engine's machine (see
heat_lbaas.devcloud.webserver). Templates use it through an alias (LBaaS::WebServer in
environments/devcloud.yaml), so the same template can later use Nova servers instead.
"""

import json
import signal
import time
import uuid

from heat.common import exception
from heat.common.i18n import _
from heat.engine import attributes
from heat.engine import constraints
from heat.engine import properties
from heat.engine import resource
from heat.engine import support

from heat_lbaas.devcloud import webserver


class DevWebServer(resource.Resource):
    """A web server process on a loopback address of its own, answering with its identity.

    Every request gets 200 and `served-by: <stack>/<resource> <address>:<port>`, so traffic
    through a load balancer shows which member answered.
    """

    support_status = support.SupportStatus(version='0.1.0')

    PROPERTIES = (PORT, ADDRESS_RANGE) = ('port', 'address_range')

    ATTRIBUTES = (ADDRESS, PORT_ATTR, URL, PID) = ('address', 'port', 'url', 'pid')

    # Resource data key of the ready file's content: {"address", "port", "url", "pid"}.
    LISTENING_DATA = 'listening'

    # After SIGTERM, how long the process gets to exit before SIGKILL.
    STOP_GRACE_SECONDS = 5.0

    properties_schema = {
        PORT: properties.Schema(
            properties.Schema.INTEGER,
            _('TCP port to listen on. Every server has its own address, so all can use '
              'the same port; below 1024 needs root.'),
            default=webserver.DEFAULT_PORT,
            constraints=[constraints.Range(1, 65535)],
        ),
        ADDRESS_RANGE: properties.Schema(
            properties.Schema.STRING,
            _('Loopback network (inside 127.0.0.0/8) from which the server picks a '
              'random free address.'),
            default=webserver.DEFAULT_ADDRESS_RANGE,
        ),
    }

    attributes_schema = {
        ADDRESS: attributes.Schema(
            _('IP address the server listens on.'),
            type=attributes.Schema.STRING,
        ),
        PORT_ATTR: attributes.Schema(
            _('TCP port the server listens on.'),
            type=attributes.Schema.INTEGER,
        ),
        URL: attributes.Schema(
            _('URL of the server, http://<address>:<port>/.'),
            type=attributes.Schema.STRING,
        ),
        PID: attributes.Schema(
            _('Process id of the server.'),
            type=attributes.Schema.INTEGER,
        ),
    }

    def validate(self):
        super().validate()
        # A dev server never listens outside loopback.
        try:
            webserver.check_loopback_range(self.properties[self.ADDRESS_RANGE])
        except ValueError as ex:
            raise exception.StackValidationFailed(
                message=_('%(prop)s: %(error)s') % {
                    'prop': self.ADDRESS_RANGE, 'error': ex})

    def _state_dir(self):
        # Read at each call: the devcloud sets HEAT_LBAAS_DEVCLOUD_DIR for the engine.
        return webserver.default_state_dir()

    def handle_create(self):
        server_id = str(uuid.uuid4())
        # Set before the process starts, so a delete after a failed create still stops it.
        self.resource_id_set(server_id)
        webserver.spawn(
            server_id, stack=self.stack.name, resource=self.name,
            state_dir=self._state_dir(),
            address_range=self.properties[self.ADDRESS_RANGE],
            port=self.properties[self.PORT])
        return server_id

    def check_create_complete(self, server_id):
        state_dir = self._state_dir()
        ready = webserver.read_ready(state_dir, server_id)
        if ready is not None:
            # One write for all attributes: each data_set is a database transaction.
            self.data_set(self.LISTENING_DATA, json.dumps(ready))
            return True
        pid = webserver.read_pid(state_dir, server_id)
        if pid is not None and not webserver.is_running(pid, server_id):
            raise exception.Error(_('web server process %(pid)s exited before listening: '
                                    '%(log)s') % {
                'pid': pid, 'log': webserver.read_log_tail(state_dir, server_id)})
        return False

    def handle_delete(self):
        if self.resource_id is None:
            return None
        pid = webserver.read_pid(self._state_dir(), self.resource_id)
        webserver.send_signal(pid, self.resource_id, signal.SIGTERM)
        return {'pid': pid, 'kill_after': time.monotonic() + self.STOP_GRACE_SECONDS}

    def check_delete_complete(self, stopping):
        if stopping is None:
            return True
        pid = stopping['pid']
        if webserver.is_running(pid, self.resource_id):
            if time.monotonic() >= stopping['kill_after']:
                webserver.send_signal(pid, self.resource_id, signal.SIGKILL)
            return False
        webserver.remove_files(self._state_dir(), self.resource_id)
        return True

    def _resolve_attribute(self, name):
        listening = self.data().get(self.LISTENING_DATA)
        if listening is None:
            return None
        return json.loads(listening).get(name)

    def get_reference_id(self):
        return self.resource_id
