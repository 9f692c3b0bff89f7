"""The controller in the test's own process with the noop amphora driver: its WSGI
application served by its own waitress server on a free loopback port, its real
SQLite database and worker threads, and nothing behind the VIPs (no HAProxy).

For tests of API behaviour (wire format, validation, PENDING_* rules, clients):
it starts in a fraction of a second where a controller process with HAProxy
amphorae takes seconds, and each change is ACTIVE as fast as the worker goes.
The attributes tests use (url, state_dir, certificate_dir, log()) are those of
tests.support.controller.RunningController.
"""
import logging
import os
import threading

from oslo_config import cfg
import requests
from waitress import wasyncore

from heat_lbaas.controller import config
from heat_lbaas.controller import service
from heat_lbaas.controller import vip_networks
from tests.support import ports

LOG_NAME = 'controller.log'


class WorkerGate:
    """While closed, the worker waits before the amphora driver takes a change, so
    a test can read (and be refused by) the PENDING_* states for as long as it
    needs: the in-process counterpart of tests.support.gate.HaproxyGate."""

    def __init__(self, driver):
        self._opened = threading.Event()
        self._opened.set()
        for name in ('apply', 'restart', 'remove'):
            setattr(driver, name, self._held(getattr(driver, name)))

    def _held(self, step):
        def held(*args):
            self._opened.wait()
            return step(*args)
        return held

    def close(self):
        self._opened.clear()

    def open(self):
        self._opened.set()


class InProcessController:
    def __init__(self, state_dir, extra_config=''):
        self.state_dir = state_dir
        os.makedirs(state_dir, exist_ok=True)
        self.port = ports.free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        # The addresses VIPs get when none is asked for: just the one, as in
        # Octavia's noop network driver.
        self.vip_cidr = '%s/32' % vip_networks.NOOP_VIP_ADDRESS
        # Nothing reads it (any reference is accepted); kept for tests that put
        # files there whichever driver runs.
        self.certificate_dir = os.path.join(state_dir, 'certificates')
        os.makedirs(self.certificate_dir, exist_ok=True)
        self.config_path = os.path.join(state_dir, 'controller.conf')
        with open(self.config_path, 'w') as config_file:
            config_file.write('[api]\nbind_port = %d\n'
                              '[controller]\nstate_dir = %s\namphora_driver = noop\n'
                              '%s' % (self.port, state_dir, extra_config))
        self.conf = cfg.ConfigOpts()
        config.register(self.conf)
        self.conf(['--config-file', self.config_path], project='heat-lbaas',
                  default_config_files=[])
        self.controller = None
        self._server_thread = None
        self._log_handler = None
        self.gate = None

    def start(self):
        # Warnings and errors logged in this process (the controller's, waitress's)
        # go to state_dir/controller.log, as a controller process logs there (tests
        # read it for tracebacks).
        self._log_handler = logging.FileHandler(os.path.join(self.state_dir, LOG_NAME))
        self._log_handler.setFormatter(logging.Formatter(
            '%(asctime)s %(levelname)s %(name)s %(message)s'))
        logging.getLogger().addHandler(self._log_handler)
        self.controller = service.Controller(self.conf)
        self.gate = WorkerGate(self.controller.driver)
        server = self.controller.start()
        self._server_thread = threading.Thread(target=server.run, daemon=True,
                                               name='inprocess-api-%d' % self.port)
        self._server_thread.start()
        requests.get(self.url + '/', timeout=10).raise_for_status()
        return self

    def log(self):
        try:
            with open(os.path.join(self.state_dir, LOG_NAME)) as log:
                return log.read()[-4000:]
        except OSError:
            return ''

    def stop(self):
        if self.controller is None:
            return
        server = self.controller.server
        self.gate.open()
        # Every socket of the server (clients' kept-alive connections too, which
        # would keep its loop running) is closed in the loop's own thread: closed from
        # here, one could go from under its select(). Then the loop ends.
        try:
            server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        except OSError as error:
            # Seen once (EBADF) in a full run: the trigger's descriptor was already
            # closed, so its loop no longer runs on it; close the sockets from here.
            logging.getLogger(__name__).warning('API server trigger gone (%s): closing '
                                                'its sockets from the test thread', error)
            wasyncore.close_all(server._map, ignore_all=True)
        self._server_thread.join(timeout=10)
        assert not self._server_thread.is_alive(), 'the API server did not stop'
        self.controller.stop()
        logging.getLogger().removeHandler(self._log_handler)
        self._log_handler.close()
        self.controller = None
