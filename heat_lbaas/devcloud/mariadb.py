"""A private MariaDB server: its own data directory, socket and port, bound to 127.0.0.1.

For the OpenStack services that need a real database server (their migrations fail on
SQLite, and SQLite answers concurrent writers "database is locked"): upstream Octavia's
API and worker in `make test-octavia`. Debian's `mariadb-server` provides the programs;
nothing of the system's own MariaDB (its config, datadir, service) is used or touched.

    db = PrivateMariaDB('/tmp/x/mariadb')
    db.start()
    url = db.create_database('octavia', 'octavia', 'secret')   # mysql+pymysql://...
    ...
    db.stop()

The root account is reachable only through the private socket (a file in base_dir);
each service gets its own user, allowed from 127.0.0.1 only.
"""

import getpass
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import time

HOST = '127.0.0.1'
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0


def _program(name):
    """A MariaDB program: on PATH, else in /usr/sbin (mariadbd is not on a user's PATH)."""
    return shutil.which(name) or shutil.which(name, path='/usr/sbin:/usr/bin') or name


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _quoted(text):
    """A SQL string literal (names and passwords here are ours, but quote them anyway)."""
    return "'%s'" % text.replace('\\', '\\\\').replace("'", "\\'")


def _identifier(name):
    if not name.replace('_', '').isalnum():
        raise ValueError('not a plain database name: %r' % name)
    return '`%s`' % name


class PrivateMariaDB:
    """One mariadbd of our own under `base_dir`; `pid` is its PID once started."""

    def __init__(self, base_dir, port=None):
        self.base_dir = pathlib.Path(base_dir).absolute()
        self.port = port
        self.pid = None
        self._process = None
        self.datadir = self.base_dir / 'data'
        self.socket = self.base_dir / 'mysqld.sock'
        self.config = self.base_dir / 'my.cnf'
        self.log = self.base_dir / 'mariadb.log'

    def _render_config(self):
        # Small buffers and no durability flush per commit: a throwaway test database
        # on a shared 2-core machine.
        return '\n'.join([
            '[mysqld]',
            'datadir = %s' % self.datadir,
            'socket = %s' % self.socket,
            'pid-file = %s' % (self.base_dir / 'mysqld.pid'),
            'log-error = %s' % self.log,
            'port = %d' % self.port,
            'bind-address = %s' % HOST,
            'user = %s' % getpass.getuser(),
            'skip-name-resolve',
            'character-set-server = utf8mb4',
            'collation-server = utf8mb4_general_ci',
            'innodb_buffer_pool_size = 64M',
            'innodb_log_file_size = 16M',
            'innodb_flush_log_at_trx_commit = 2',
            'max_connections = 300',
            '',
            '[client]',
            'socket = %s' % self.socket,
            '',
        ])

    def start(self):
        """Install the data directory the first time, start mariadbd, wait until it
        answers on its socket."""
        if self.pid is not None:
            return
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self.port = self.port or _free_port()
        self.config.write_text(self._render_config())
        fresh = not (self.datadir / 'mysql').is_dir()
        if fresh:
            self._install_datadir()
        with open(self.log, 'ab') as log:
            self._process = subprocess.Popen(
                [_program('mariadbd'), '--defaults-file=%s' % self.config],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        self.pid = self._process.pid
        self._wait_until_answering()
        if fresh:
            # mariadb-install-db also makes password-less root accounts for TCP from
            # the loopback and the host name: root is for the private socket only.
            self.sql("DROP USER IF EXISTS root@'127.0.0.1', root@'::1', root@'%s';\n"
                     % socket.gethostname())

    def _install_datadir(self):
        result = subprocess.run(
            [_program('mariadb-install-db'), '--defaults-file=%s' % self.config,
             '--auth-root-authentication-method=normal', '--skip-test-db'],
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError('mariadb-install-db failed: %s%s'
                               % (result.stdout[-2000:], result.stderr[-2000:]))

    def _wait_until_answering(self):
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self._process.poll() is not None:
                raise RuntimeError('mariadbd exited with %s: %s'
                                   % (self._process.returncode, self._log_tail()))
            answer = subprocess.run(
                [_program('mariadb-admin'), '--defaults-file=%s' % self.config,
                 '--user=root', 'ping'], stdin=subprocess.DEVNULL, capture_output=True)
            if answer.returncode == 0:
                return
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError('mariadbd did not answer within %s s: %s'
                                   % (START_TIMEOUT, self._log_tail()))
            time.sleep(0.2)

    def _log_tail(self, limit=2000):
        try:
            return self.log.read_text(errors='replace')[-limit:]
        except OSError:
            return ''

    def sql(self, statements):
        """Run SQL as root through the private socket."""
        result = subprocess.run(
            [_program('mariadb'), '--defaults-file=%s' % self.config, '--user=root'],
            input=statements, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise RuntimeError('SQL failed: %s' % result.stderr)
        return result.stdout

    def create_database(self, name, user, password):
        """Create database `name` and `user` (from 127.0.0.1, all rights on it); return
        its SQLAlchemy URL (PyMySQL driver)."""
        self.sql(
            'CREATE DATABASE IF NOT EXISTS {db} CHARACTER SET utf8mb4;\n'
            "CREATE USER IF NOT EXISTS {user}@'{host}' IDENTIFIED BY {password};\n"
            "GRANT ALL PRIVILEGES ON {db}.* TO {user}@'{host}';\n".format(
                db=_identifier(name), user=_quoted(user), host=HOST,
                password=_quoted(password)))
        return 'mysql+pymysql://%s:%s@%s:%d/%s?charset=utf8mb4' % (
            user, password, HOST, self.port, name)

    def stop(self):
        """Stop our mariadbd (SIGTERM, a clean shutdown; SIGKILL after STOP_TIMEOUT)."""
        if self._process is None:
            return
        if self._process.poll() is None:
            os.kill(self._process.pid, signal.SIGTERM)
            try:
                self._process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.kill(self._process.pid, signal.SIGKILL)
                self._process.wait()
        self._process = None
        self.pid = None
