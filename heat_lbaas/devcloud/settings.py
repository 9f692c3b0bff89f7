"""Where the devcloud keeps its files, and the choices it persists between runs.

Everything the devcloud writes lives in one state directory
(``$HEAT_LBAAS_DEVCLOUD_DIR``, default ``<cwd>/.devcloud``), so ``down --purge``
can remove it all and two devclouds in different directories never meet.
"""

import dataclasses
import typing
import json
import os
import pathlib
import secrets
import socket

from heat_lbaas.devcloud import private_files

STATE_DIR_ENV = 'HEAT_LBAAS_DEVCLOUD_DIR'
DEFAULT_VIP_CIDR = '127.77.0.0/16'
# The devcloud's Heat checks a resource action ten times as often as stock Heat (once a
# second) and starts the resources of a traversal without pausing after each.
DEFAULT_HEAT_POLL_INTERVAL = 0.1
DEFAULT_HEAT_TRIGGER_PAUSE = 0.0
# Fixed ids of the VIP subnet and network, so that environments/devcloud.yaml can name
# the subnet and every devcloud exposes the same one (they are also the controller's
# defaults in heat_lbaas/controller/config.py).
VIP_SUBNET_ID = '35dc0b41-9dc8-5abb-bb66-90b11392828c'
VIP_NETWORK_ID = '2bcecfc5-9c7c-54a1-a809-648cc439e9b5'
PROJECT_ID = 'admin'   # the project Heat's noauth middleware puts in every request
# The token keystoneauth's `none` auth plugin sends, so also what noauth API requests
# carry (Heat's noauth middleware and its stored contexts, devcloud/heat_server.py).
NOAUTH_TOKEN = 'notused'
HOST = '127.0.0.1'     # the devcloud binds nothing else
# How API callers authenticate: noauth (no Keystone; Heat's noauth middleware, the
# controller trusts X-Project-Id) or keystone (a real Keystone, tokens everywhere).
AUTH_MODES = ('noauth', 'keystone')
# The controller's [controller] amphora_driver: haproxy (real HAProxy, traffic) or noop
# (Octavia's noop drivers: API only, for octavia-tempest-plugin's API suite).
AMPHORA_DRIVERS = ('haproxy', 'noop')


def state_dir_from_env():
    return pathlib.Path(os.environ.get(STATE_DIR_ENV) or
                        pathlib.Path.cwd() / '.devcloud').absolute()


class StatePaths:
    """Names of the files in the state directory, in one place."""

    def __init__(self, root):
        self.root = pathlib.Path(root)

    settings = property(lambda self: self.root / 'devcloud.json')
    heat_conf = property(lambda self: self.root / 'heat.conf')
    api_paste = property(lambda self: self.root / 'api-paste.ini')
    token_body = property(lambda self: self.root / 'token-body.json')
    heat_db = property(lambda self: self.root / 'heat.sqlite')
    heat_db_ready = property(lambda self: self.root / 'heat.sqlite.synced')
    plugin_dir = property(lambda self: self.root / 'plugins')
    plugin_module = property(
        lambda self: self.root / 'plugins' / 'heat_lbaas_plugin.py')
    controller_conf = property(lambda self: self.root / 'controller.conf')
    # Keystone mode only: its configuration, keys and private MariaDB.
    keystone_conf = property(lambda self: self.root / 'keystone.conf')
    keystone_dir = property(lambda self: self.root / 'keystone')
    fernet_keys = property(lambda self: self.root / 'keystone' / 'fernet-keys')
    credential_keys = property(lambda self: self.root / 'keystone' / 'credential-keys')
    keystone_ready = property(lambda self: self.root / 'keystone' / 'bootstrapped')
    mariadb = property(lambda self: self.root / 'mariadb')
    memcached = property(lambda self: self.root / 'memcached')
    controller_state = property(lambda self: self.root / 'controller')
    # PEM files certificate references may name ([certificates] storage_path).
    certificates = property(lambda self: self.root / 'certificates')
    amphorae = property(lambda self: self.root / 'controller' / 'amphorae')
    webservers = property(lambda self: self.root / 'webservers')
    alarms = property(lambda self: self.root / 'alarms')
    clouds_yaml = property(lambda self: self.root / 'clouds.yaml')
    logs = property(lambda self: self.root / 'logs')
    pids = property(lambda self: self.root / 'pids')

    def log_file(self, name):
        return self.logs / ('%s.log' % name)

    def pid_file(self, name):
        return self.pids / ('%s.pid' % name)


@dataclasses.dataclass
class Settings:
    """Persisted in devcloud.json so ids and keys survive ``down``/``up``."""

    heat_port: int = 0
    controller_port: int = 0
    vip_cidr: str = DEFAULT_VIP_CIDR
    vip_subnet_id: str = ''
    vip_network_id: str = ''
    project_id: str = PROJECT_ID
    # Heat encrypts stored credentials with it: a new key would make old stacks
    # unreadable, so it is generated once.
    auth_encryption_key: str = ''
    # An external load-balancer API (`up --load-balancer-endpoint`, e.g. upstream
    # Octavia) instead of the bundled controller, which then does not run.
    load_balancer_endpoint: str = ''
    # Heat's debug logging (`up --debug`); set by every `up`, so it does not stick.
    heat_debug: bool = False
    # Cap (seconds) on Heat's fixed 1 s sleeps (heat_server.cap_polling_sleeps) from
    # `up --heat-poll-interval` (1 is stock Heat's pace); None: the devcloud's
    # (DEFAULT_HEAT_*). Set by every `up` that starts Heat, so it does not stick.
    heat_poll_interval: typing.Optional[float] = None
    # One of AUTH_MODES; set by every `up` (`--auth`, default noauth).
    auth: str = 'noauth'
    keystone_port: int = 0
    # One of AMPHORA_DRIVERS; set by every `up` (`--amphora-driver`, default haproxy).
    amphora_driver: str = 'haproxy'
    # The controller's amphora_network, chosen by every `up` that starts the
    # controller (amphora_network.choose); with namespace, this state dir's own
    # namespace prefix, bridge and private /24 (kept while no route takes it).
    amphora_network: str = 'loopback'
    namespace_prefix: str = ''
    namespace_bridge: str = ''
    namespace_cidr: str = ''
    # Keystone mode: {user name: password} of the devcloud's users (admin, the demo
    # users, the service users of Heat and the controller), generated once.
    passwords: dict = dataclasses.field(default_factory=dict)

    @classmethod
    def load(cls, paths):
        if not paths.settings.exists():
            return cls()
        data = json.loads(paths.settings.read_text())
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def save(self, paths):
        paths.root.mkdir(parents=True, exist_ok=True)
        # It holds Heat's auth_encryption_key.
        private_files.write_text(paths.settings,
                                 json.dumps(dataclasses.asdict(self), indent=2))

    def fill_first_run_values(self):
        """Ids and keys that must stay the same for the life of the state dir."""
        self.vip_subnet_id = self.vip_subnet_id or VIP_SUBNET_ID
        self.vip_network_id = self.vip_network_id or VIP_NETWORK_ID
        # token_hex(16) is exactly the 32 characters Heat's start-up check wants.
        self.auth_encryption_key = (self.auth_encryption_key or
                                    secrets.token_hex(16))

    def password(self, user):
        """The password of a devcloud user, made up the first time it is asked."""
        if user not in self.passwords:
            # Hex: never a leading '-' that a command line would read as an option
            # (token_urlsafe gave one in 1 of 64 runs and broken keystone-manage).
            self.passwords[user] = secrets.token_hex(16)
        return self.passwords[user]


def port_is_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As the servers do: a port whose last connections are in TIME_WAIT is
        # free for them.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def free_port():
    """A port the kernel says is free now (bind to port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def choose_port(requested, previous, taken=()):
    """The requested port, else the previous one if still free, else a free one.

    Keeping the previous port keeps clouds.yaml and the signal URLs Heat stored
    in existing stacks valid across ``down``/``up``.
    """
    if requested:
        return requested
    if previous and previous not in taken and port_is_free(previous):
        return previous
    while True:
        port = free_port()
        if port not in taken:
            return port


def heat_sleep_caps(settings):
    """(poll, trigger): caps on Heat's sleep between two checks of a resource action
    and after triggering each resource of a traversal."""
    if settings.heat_poll_interval is None:
        return DEFAULT_HEAT_POLL_INTERVAL, DEFAULT_HEAT_TRIGGER_PAUSE
    return settings.heat_poll_interval, settings.heat_poll_interval
