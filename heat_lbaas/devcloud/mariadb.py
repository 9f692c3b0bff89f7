"""A private MariaDB server: own datadir, port, socket and pid file under one directory.

Keystone (and upstream Octavia, for comparison runs) need a real database server:
SQLite answers "database is locked" under concurrent API workers, and Octavia's
migrations do not run on it. This runs Debian's ``mariadbd`` from a defaults file
written here, bound to 127.0.0.1, started detached and stopped by its PID (checked
against its command line, which names this defaults file). Nothing else of the
machine's MariaDB (a system service, /etc/mysql) is read or touched.

Administration goes through the ``mariadb`` client over the unix socket, as the OS
user that created the datadir (``mariadb-install-db`` gives that user socket
authentication), so no administrator password exists anywhere.
"""
import getpass
import os
import pathlib
import re
import shutil
import subprocess
import time
import urllib.parse

from heat_lbaas.devcloud import private_files
from heat_lbaas.devcloud import processes

HOST = '127.0.0.1'
READY_TIMEOUT = 60
# Names go into SQL statements: only plain identifiers.
IDENTIFIER = re.compile(r'^[A-Za-z0-9_]{1,64}$')


class MariaDBError(Exception):
    """The server did not start, or a statement failed; the message says why."""


def _sbin(name):
    # mariadbd lives in /usr/sbin, not on a non-root user's PATH on Debian.
    return shutil.which(name) or shutil.which(name, path='/usr/sbin:/sbin') or name


def _sql_string(value):
    return "'%s'" % value.replace('\\', '\\\\').replace("'", "\\'")


def _free_port():
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class PrivateMariaDB:
    """One MariaDB server living in ``base_dir``.

    ``port``: the TCP port on 127.0.0.1; None keeps the port of an earlier run in
    the same directory (URLs handed out stay valid), else takes a free one.
    """

    def __init__(self, base_dir, port=None):
        self.base_dir = pathlib.Path(base_dir).absolute()
        self.defaults_file = self.base_dir / 'my.cnf'
        self.datadir = self.base_dir / 'data'
        # A unix socket path must stay under 108 bytes: keep the name short.
        self.socket = self.base_dir / 'mysqld.sock'
        self.pid_file = self.base_dir / 'mariadbd.pid'
        self.log_file = self.base_dir / 'mariadbd.log'
        self.port = port or self._previous_port() or _free_port()

    @property
    def pid(self):
        """PID of the running server, or None."""
        return processes.running_pid(self.pid_file, str(self.defaults_file))

    def _previous_port(self):
        try:
            match = re.search(r'^port\s*=\s*(\d+)$', self.defaults_file.read_text(),
                              re.MULTILINE)
        except OSError:
            return None
        return int(match.group(1)) if match else None

    def render_defaults(self):
        # mariadbd refuses to run as root unless told to; as another user the
        # option is ignored with a warning, so it is only written for root.
        user = 'user = root\n' if os.geteuid() == 0 else ''
        return f"""\
# Written by heat-lbaas-devcloud (heat_lbaas/devcloud/mariadb.py).
[client]
socket = {self.socket}
user = {getpass.getuser()}

[mariadbd]
{user}datadir = {self.datadir}
socket = {self.socket}
port = {self.port}
bind-address = {HOST}
pid-file = {self.base_dir / 'mariadbd.server-pid'}
log-error = {self.log_file}
skip-name-resolve
skip-log-bin
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
# Small: a devcloud holds a few hundred rows, and the machine runs much else.
innodb_buffer_pool_size = 32M
innodb_log_file_size = 16M
performance_schema = OFF
# Write the log at each commit, sync it once a second: Keystone's schema migration
# (hundreds of DDL commits) is not held up by fsyncs on a busy disk, and a crash of
# mariadbd itself still loses nothing (only an OS crash loses up to a second).
innodb_flush_log_at_trx_commit = 2
max_connections = 200
"""

    def start(self, timeout=READY_TIMEOUT):
        """Start the server unless it runs; return when it answers."""
        if self.pid:
            return
        self.base_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.base_dir, 0o700)
        private_files.write_text(self.defaults_file, self.render_defaults())
        if not (self.datadir / 'mysql').is_dir():
            self._install_db()
        pid = processes.start_detached(
            [_sbin('mariadbd'), '--defaults-file=%s' % self.defaults_file],
            self.log_file, self.pid_file, cwd=str(self.base_dir))
        deadline = time.monotonic() + timeout
        while not self._answers():
            if not processes.is_alive(pid):
                raise MariaDBError('mariadbd (pid %d) exited:\n%s'
                                   % (pid, processes.tail(self.log_file)))
            if time.monotonic() > deadline:
                raise MariaDBError('mariadbd did not answer within %d s:\n%s'
                                   % (timeout, processes.tail(self.log_file)))
            time.sleep(0.1)

    def _install_db(self, attempts=2):
        """The system tables in a new datadir. Tried twice: once in a fresh clone's
        `make test` (three MariaDB servers being set up side by side on a loaded
        machine) the bootstrap failed without a reason in its output; what
        mariadbd logged is in the error if it fails again."""
        for attempt in range(1, attempts + 1):
            result = subprocess.run(
                ['mariadb-install-db', '--defaults-file=%s' % self.defaults_file,
                 '--auth-root-authentication-method=socket', '--skip-test-db'],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                cwd=str(self.base_dir))
            if result.returncode == 0:
                return
            shutil.rmtree(self.datadir, ignore_errors=True)
        raise MariaDBError('mariadb-install-db failed %d times; the last:\n%s\n'
                           '--- last lines of %s ---\n%s'
                           % (attempts, result.stdout.decode(errors='replace')[-3000:],
                              self.log_file, processes.tail(self.log_file)))

    def _answers(self):
        if not self.socket.exists():
            return False
        result = subprocess.run(
            ['mariadb-admin', '--defaults-file=%s' % self.defaults_file,
             '--connect-timeout=2', 'ping'],
            stdin=subprocess.DEVNULL, capture_output=True)
        return result.returncode == 0

    def execute(self, sql):
        """Run SQL statements as the administrator (over the unix socket)."""
        result = subprocess.run(
            ['mariadb', '--defaults-file=%s' % self.defaults_file, '--batch'],
            input=sql.encode(), capture_output=True)
        if result.returncode != 0:
            raise MariaDBError('SQL failed: %s' % result.stderr.decode(errors='replace'))
        return result.stdout.decode()

    def create_database(self, name, user, password):
        """Create (or keep) database ``name`` and ``user`` owning it, with this
        password (set again every time); return its SQLAlchemy URL."""
        for identifier in (name, user):
            if not IDENTIFIER.match(identifier):
                raise ValueError('not a plain identifier: %r' % identifier)
        account = "'%s'@'%s'" % (user, HOST)
        self.execute(
            f"CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4;\n"
            f"CREATE USER IF NOT EXISTS {account} IDENTIFIED BY {_sql_string(password)};\n"
            f"ALTER USER {account} IDENTIFIED BY {_sql_string(password)};\n"
            f"GRANT ALL PRIVILEGES ON `{name}`.* TO {account};\n")
        return 'mysql+pymysql://%s:%s@%s:%d/%s?charset=utf8mb4' % (
            user, urllib.parse.quote(password, safe=''), HOST, self.port, name)

    def stop(self, timeout=30):
        """Stop the server (SIGTERM: InnoDB shuts down cleanly) if it runs."""
        processes.stop_by_pid_file(self.pid_file, str(self.defaults_file),
                                   timeout=timeout)
