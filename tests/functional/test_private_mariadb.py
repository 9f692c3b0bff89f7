"""heat_lbaas/devcloud/mariadb.py: a private MariaDB on a loopback port of its own, a
database and user for a service, reached over TCP with that user's password only, and
nothing left running after stop."""
import subprocess

from heat_lbaas.devcloud import mariadb
from tests.support.devcloud import is_alive


def _query_over_tcp(port, user, password, sql):
    return subprocess.run(
        ['mariadb', '--no-defaults', '--protocol=TCP', '--host=127.0.0.1',
         '--port=%d' % port, '--user=%s' % user, '--password=%s' % password,
         '--batch', '--skip-column-names', '--execute', sql],
        capture_output=True, text=True, timeout=60)


def test_a_service_database_is_reached_with_its_own_user_and_nothing_is_left(tmp_path):
    database = mariadb.PrivateMariaDB(tmp_path / 'mariadb')
    try:
        database.start()
        url = database.create_database('svc', 'svc_user', 's3cret')
        assert url == 'mysql+pymysql://svc_user:s3cret@127.0.0.1:%d/svc?charset=utf8mb4' % (
            database.port)
        answer = _query_over_tcp(database.port, 'svc_user', 's3cret',
                                 'CREATE TABLE svc.t (a INT); INSERT INTO svc.t VALUES (7); '
                                 'SELECT a FROM svc.t')
        assert answer.returncode == 0, answer.stderr
        assert answer.stdout.split() == ['7']
        # Root is for the private socket only: no password-less root over TCP.
        refused = _query_over_tcp(database.port, 'root', '', 'SELECT 1')
        assert refused.returncode != 0
        wrong = _query_over_tcp(database.port, 'svc_user', 'wrong', 'SELECT 1')
        assert wrong.returncode != 0
        pid = database.pid
        assert is_alive(pid)
    finally:
        database.stop()
    assert not is_alive(pid)
    assert database.pid is None
