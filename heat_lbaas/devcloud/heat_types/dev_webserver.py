"""LBaaS::Dev::WebServer: a local web server process standing in for a Nova server.

devcloud only: the process runs on the Heat engine's machine (see
heat_lbaas.devcloud.webserver). Templates use it through an alias (LBaaS::WebServer in
environments/devcloud.yaml), so the same template can later use Nova servers instead.
"""

import json

from heat.common import exception
from heat.common.i18n import _
from heat.engine import attributes
from heat.engine import constraints
from heat.engine import properties
from heat.engine import support

from heat_lbaas.devcloud import webserver
from heat_lbaas.devcloud.heat_types import dev_process


class DevWebServer(dev_process.DevProcessResource):
    """A web server process on a loopback address of its own, answering with its identity.

    Every request gets 200 and `served-by: <stack>/<resource> <address>:<port>`, so traffic
    through a load balancer shows which member answered.
    """

    support_status = support.SupportStatus(version='0.1.0')

    PROPERTIES = (PORT, ADDRESS_RANGE) = ('port', 'address_range')

    ATTRIBUTES = (ADDRESS, PORT_ATTR, URL, PID) = ('address', 'port', 'url', 'pid')

    # Resource data key of the ready file's content: {"address", "port", "url", "pid"}.
    LISTENING_DATA = 'listening'

    MODULE = webserver.MODULE

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
        return webserver.default_state_dir()

    def _spawn(self, process_id, state_dir):
        webserver.spawn(
            process_id, stack=self.stack.name, resource=self.name, state_dir=state_dir,
            address_range=self.properties[self.ADDRESS_RANGE],
            port=self.properties[self.PORT])

    def _ready(self, ready):
        # One write for all attributes: each data_set is a database transaction.
        self.data_set(self.LISTENING_DATA, json.dumps(ready))

    def _resolve_attribute(self, name):
        listening = self.data().get(self.LISTENING_DATA)
        if listening is None:
            return None
        return json.loads(listening).get(name)

