"""Heat's API and engine in ONE process, for the devcloud.

Usage: ``python -m heat_lbaas.devcloud.heat_server --config-file heat.conf``

Why one process: with ``transport_url = fake://`` the API reaches the engine through
an in-memory queue, so no message broker is needed; across two processes every call
would end in ``MessagingTimeout``. oslo.service's launchers cannot be used for the
engine because even the single-worker launcher runs the service in a child process
(cotyledon); the engine service is therefore started directly in this process and
the API is served next to it by a threaded WSGI server (waitress).

Small patches make stock Heat 27 behave on one machine without Keystone.
Each is applied by a function below that says what it changes and why; see also
docs/devcloud.md.
"""

# oslo.service wants its backend chosen before anything imports oslo_service.service
# (heat.engine.service does). Heat's own heat-engine command makes the same choice.
from oslo_service import backend  # noqa: E402  (order matters)
backend.init_backend(backend.BackendType.THREADING)

import faulthandler  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

from oslo_config import cfg  # noqa: E402
import oslo_i18n  # noqa: E402
from oslo_log import log as logging  # noqa: E402
from heat_lbaas.devcloud import message_arrival  # noqa: E402
from heat_lbaas.devcloud import settings  # noqa: E402

CONF = cfg.CONF
LOG = logging.getLogger('heat_lbaas.devcloud.heat_server')

DEVCLOUD_OPTS = [
    cfg.HostAddressOpt('bind_host', default='127.0.0.1',
                       help='Address the Heat API listens on.'),
    cfg.PortOpt('bind_port', default=8004, help='Port the Heat API listens on.'),
    cfg.FloatOpt('max_poll_sleep', default=0.1,
                 help="Upper bound (seconds) for Heat's fixed sleep between two checks "
                      "of a resource action."),
    cfg.FloatOpt('max_trigger_sleep', default=0.0,
                 help="Upper bound (seconds) for Heat's fixed sleep after triggering "
                      "each resource at the start of a traversal."),
    cfg.IntOpt('api_threads', default=8, help='WSGI worker threads for the API.'),
    cfg.IntOpt('engine_stop_timeout', default=10,
               help='Seconds to let the engine finish its threads on SIGTERM.'),
]
CONF.register_opts(DEVCLOUD_OPTS, group='devcloud')

SQLITE_BUSY_TIMEOUT_MS = 30000
# Connections kept open (the engine's threads rarely need more at once).
SQLITE_POOL_SIZE = 8
SQLITE_POOL_OVERFLOW = 24


# --- patch 1: SQLite "database is locked" --------------------------------------

def serialize_sqlite_writers():
    """Start every SQLite transaction with BEGIN IMMEDIATE; WAL; a busy timeout.

    Why: oslo.db opens deferred transactions (plain BEGIN). Two engine threads that
    both read and then write fail when upgrading their lock: SQLite answers
    "database is locked" at once instead of waiting (e.g. ``INSERT INTO
    resource_data`` while an AutoScalingGroup is created). BEGIN IMMEDIATE takes
    the write lock up front, so a second writer waits (up to the busy timeout)
    instead of failing; WAL lets readers go on while one thread writes.
    A real database server would not need this.
    """
    import sqlalchemy
    from oslo_db.sqlalchemy import engines

    original_create_engine = engines.create_engine

    def create_engine(sql_connection, *args, **kwargs):
        engine = original_create_engine(sql_connection, *args, **kwargs)
        if engine.dialect.name == 'sqlite':
            _make_sqlite_transactions_immediate(engine, sqlalchemy)
            _keep_sqlite_connections(engine, sqlalchemy)
        return engine

    engines.create_engine = create_engine


def _make_sqlite_transactions_immediate(engine, sqlalchemy):
    @sqlalchemy.event.listens_for(engine, 'connect')
    def _wal_and_busy_timeout(dbapi_connection, connection_record):
        dbapi_connection.execute('PRAGMA journal_mode=WAL')
        dbapi_connection.execute('PRAGMA busy_timeout=%d' % SQLITE_BUSY_TIMEOUT_MS)
        # SQLite's advice for WAL: no fsync at each commit, only at checkpoints. A
        # killed Heat loses nothing committed and the file is never corrupted; only an
        # OS crash can lose the last transactions. (oslo.db's sqlite_synchronous
        # offers only FULL or OFF.)
        dbapi_connection.execute('PRAGMA synchronous=NORMAL')

    # oslo.db disables pysqlite's own transaction handling and emits a plain
    # "BEGIN" from its "begin" listener; turn exactly that statement into
    # BEGIN IMMEDIATE (independent of the order in which listeners run).
    @sqlalchemy.event.listens_for(engine, 'before_cursor_execute', retval=True)
    def _begin_immediate(connection, cursor, statement, parameters, context,
                         executemany):
        if statement == 'BEGIN':
            statement = 'BEGIN IMMEDIATE'
        return statement, parameters


def _keep_sqlite_connections(engine, sqlalchemy):
    """A pool of open connections instead of oslo.db's NullPool for SQLite files.

    Why: NullPool opens a connection (and runs its pragmas) for every transaction and
    closes it after; a profile of the engine during scale-ups put a quarter of its busy
    time there. A pooled connection keeps oslo.db's "in_transaction" marker in its
    record; it is cleared when the connection goes back to the pool, whose rollback
    ends any transaction left open, so the next user's BEGIN is always sent.
    """
    previous = engine.pool
    engine.pool = sqlalchemy.pool.QueuePool(
        previous._creator, pool_size=SQLITE_POOL_SIZE, max_overflow=SQLITE_POOL_OVERFLOW,
        reset_on_return='rollback', dialect=previous._dialect, _dispatch=previous.dispatch)
    previous.dispose()

    @sqlalchemy.event.listens_for(engine, 'checkin')
    def _forget_the_transaction(dbapi_connection, connection_record):
        if connection_record is not None:
            connection_record.info.pop('in_transaction', None)


# --- patch 2: signals under noauth ------------------------------------------------

NOAUTH_TOKEN = settings.NOAUTH_TOKEN


def give_stored_contexts_the_noauth_token():
    """Stored contexts get the same token body (and catalog) as API requests.

    Why: work that runs later on the stack's behalf (a ScalingPolicy signal, which
    resizes the group) runs with the stack's *stored* context, rebuilt from the
    user_creds table. That holds no token, so Heat tries a password login against
    Keystone; with no Keystone the catalog is empty and the engine logs
    ``EndpointNotFound`` while ``POST signal_url`` still answers 200 and nothing
    scales. The noauth middleware attaches ``[noauth] token_response`` to every API
    request; giving stored contexts that same body makes both paths identical.
    """
    from heat.common import context as heat_context

    with open(CONF.noauth.token_response) as token_file:
        token_body = json.load(token_file)
    original_create_auth_plugin = heat_context.StoredContext._create_auth_plugin

    def _create_auth_plugin(self):
        if not self.auth_token_info and not self.trust_id:
            self.auth_token_info = token_body
            # API requests carry the token keystoneauth's `none` plugin sends
            # ('notused'); without one a client session of the stored context
            # refuses to send any request ("No valid authentication is available").
            self.auth_token = self.auth_token or NOAUTH_TOKEN
        return original_create_auth_plugin(self)

    heat_context.StoredContext._create_auth_plugin = _create_auth_plugin


# --- patch 3: Heat's fixed polling sleeps -----------------------------------------

class CappedSleepTime:
    """Stands in for the ``time`` module inside a Heat module: sleeps are capped."""

    def __init__(self, cap):
        self.cap = cap

    def sleep(self, seconds):
        time.sleep(min(seconds, self.cap))

    def __getattr__(self, name):
        return getattr(time, name)


def cap_polling_sleeps(poll_cap, trigger_cap):
    """Cap two fixed 1 s sleeps of the engine, at ``poll_cap`` and ``trigger_cap`` s.

    Why: they dominate every create/update/delete on an idle single machine:
    - heat.engine.scheduler: TaskRunner sleeps ``wait_time=1`` between steps of
      every resource action (each check_*_complete poll): capped at poll_cap (0.1 s),
      not lower, since each resource in progress polls that often;
    - heat.engine.stack: Stack.converge_stack sleeps 1 s after triggering each
      leaf resource of a traversal (spreading the work over engines): capped at
      trigger_cap (none: one engine here, and a scale-up's new member, triggered
      after every existing member of the group, would wait 0.1 s per member).
    Everything else (timeouts, time.time) is the real ``time`` module. With a cap
    of 0.1 s an ASG stack create/scale/delete takes about half as long.
    """
    from heat.engine import scheduler
    from heat.engine import stack

    scheduler.time = CappedSleepTime(poll_cap)
    stack.time = CappedSleepTime(trigger_cap)


# --- patch 6 of docs/devcloud.md: the in-memory message bus wakes its listeners ------

def wake_listeners_on_delivery():
    """Deliveries on the fake transport wake the listeners instead of their 50 ms sleeps.

    Why: with ``transport_url = fake://`` every RPC message (the API's call to the
    engine, each nested stack's create or update, each convergence check_resource)
    waits for its listener's next look, and the fake driver looks every 50 ms; a
    scale-up passes about ten of them one after another.
    """
    from oslo_messaging._drivers import impl_fake

    arrival = message_arrival.MessageArrival()
    impl_fake.time = arrival
    original_deliver = impl_fake.FakeExchange.deliver_message

    def deliver_message(self, *args, **kwargs):
        original_deliver(self, *args, **kwargs)
        arrival.delivered()

    impl_fake.FakeExchange.deliver_message = deliver_message


# --- version discovery at the endpoint -------------------------------------------

def answer_version_discovery(app):
    """Answer ``GET /v1`` and ``GET /v1/<project>`` with a version document.

    Why: openstacksdk (``conn.orchestration``) runs keystoneauth version discovery
    on the configured endpoint, ``.../v1/<project>``, and Heat answers 404 there
    (its version list lives only at ``/``). Not a change to Heat: a WSGI wrapper
    around the API app; every other request goes to Heat unchanged.
    """
    def wrapper(environ, start_response):
        path = environ.get('PATH_INFO', '').rstrip('/')
        parts = path.split('/')
        if (environ.get('REQUEST_METHOD') == 'GET' and len(parts) in (2, 3)
                and parts[1] == 'v1'):
            host = environ.get('HTTP_HOST') or '%s:%s' % (
                environ['SERVER_NAME'], environ['SERVER_PORT'])
            body = json.dumps({'version': {
                'id': 'v1.0', 'status': 'CURRENT',
                'links': [{'rel': 'self', 'href': 'http://%s%s' % (host, path)}],
            }}).encode()
            start_response('200 OK', [('Content-Type', 'application/json'),
                                      ('Content-Length', str(len(body)))])
            return [body]
        return app(environ, start_response)
    return wrapper


# --- the process ----------------------------------------------------------------

def load_config(argv):
    from heat.common import config as heat_config
    from heat.common import messaging
    from heat import version
    # Imported before parsing so every option they register (auth_encryption_key,
    # the engine's options) is known when heat.conf is read.
    from heat.engine import service  # noqa: F401
    from heat.engine import template  # noqa: F401

    oslo_i18n.enable_lazy()
    logging.register_options(CONF)
    # default_config_files=[]: never pick up a system /etc/heat/heat.conf.
    CONF(argv, project='heat', prog='heat-api',
         version=version.version_info.version_string(), default_config_files=[])
    logging.setup(CONF, 'heat')
    heat_config.set_config_defaults()
    messaging.setup()
    heat_config.startup_sanity_check()


def start_engine():
    from heat.engine import service as engine_service
    from heat.engine import template
    from heat.rpc import api as rpc_api

    # Same check heat-engine makes: without template plugins nothing works.
    if not template._get_template_extension_manager().names():
        sys.exit('ERROR: No template format plugins registered')
    engine = engine_service.EngineService(CONF.host, rpc_api.ENGINE_TOPIC)
    engine.start()
    return engine


def make_api_server():
    import waitress
    from heat.common import config as heat_config

    app = answer_version_discovery(heat_config.load_paste_app('heat-api'))
    return waitress.create_server(app, host=CONF.devcloud.bind_host,
                                  port=CONF.devcloud.bind_port,
                                  threads=CONF.devcloud.api_threads)


def stop_engine(engine, timeout):
    """engine.stop() waits for stack threads; give it ``timeout`` seconds."""
    stopper = threading.Thread(target=engine.stop, daemon=True)
    stopper.start()
    stopper.join(timeout)


def main(argv=None):
    load_config(sys.argv[1:] if argv is None else argv)
    serialize_sqlite_writers()
    # Only without Keystone: with one, stored contexts hold a trust, as in production.
    if CONF.paste_deploy.flavor == 'noauth':
        give_stored_contexts_the_noauth_token()
    cap_polling_sleeps(CONF.devcloud.max_poll_sleep, CONF.devcloud.max_trigger_sleep)
    wake_listeners_on_delivery()

    engine = start_engine()
    api_server = make_api_server()

    def _stop(signum, frame):
        raise SystemExit(0)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    # `kill -USR1 <pid>` writes every thread's stack to the log: how to see what a
    # stuck stack operation is waiting for.
    faulthandler.register(signal.SIGUSR1, all_threads=True)

    LOG.info('Heat API (%s) listening on http://%s:%s/, engine %s running',
             CONF.paste_deploy.flavor, CONF.devcloud.bind_host, CONF.devcloud.bind_port,
             engine.engine_id)
    try:
        api_server.run()
    except SystemExit:
        pass
    finally:
        LOG.info('Stopping the Heat API and engine')
        api_server.close()
        stop_engine(engine, CONF.devcloud.engine_stop_timeout)
        sys.stdout.flush()
        sys.stderr.flush()
        # Engine threads that did not finish in time must not keep us alive.
        os._exit(0)


if __name__ == '__main__':
    main()
