"""The Nova variant's boot script (user_data of templates/lib/nova_web_server.yaml), checked
with what runs on this machine, since no Nova runs here:
- the script is valid POSIX shell (`dash -n`; cloud images run it with /bin/sh);
- the systemd unit it writes passes `systemd-analyze verify`;
- the web server program it writes answers GET and HEAD with the server's identity, run
  in a private network namespace (`unshare --net`), so that binding every address, as it
  must on a VM, touches no interface of this machine.
Not checked here: cloud-init running it on a real image, systemd starting the unit."""
import json
import pathlib
import re
import subprocess
import sys

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
PORT = 8080

# Runs inside the namespace: bring its loopback up, start the program, ask it.
DRIVER = r'''
import fcntl, json, socket, struct, subprocess, sys, time
SIOCSIFFLAGS, IFF_UP, IFF_LOOPBACK, IFF_RUNNING = 0x8914, 0x1, 0x8, 0x40
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack('16sH14s', b'lo',
                                             IFF_UP | IFF_LOOPBACK | IFF_RUNNING, bytes(14)))
program, port = sys.argv[1], int(sys.argv[2])
server = subprocess.Popen([sys.executable, program, str(port)])
def ask(method, path='/any/path?x=1'):
    with socket.create_connection(('127.0.0.1', port), timeout=5) as c:
        c.sendall(('%s %s HTTP/1.0\r\nHost: test\r\n\r\n' % (method, path)).encode())
        answer = b''
        while True:
            chunk = c.recv(65536)
            if not chunk:
                return answer.decode()
            answer += chunk
try:
    deadline = time.monotonic() + 10
    while True:
        try:
            answers = {'GET': ask('GET'), 'HEAD': ask('HEAD')}
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise
            time.sleep(0.05)
    began = time.monotonic()
    answers['slow'] = ask('GET', '/?sleep=0.5')
    slow_seconds = time.monotonic() - began
    print(json.dumps({'answers': answers, 'hostname': socket.gethostname(),
                      'slow_seconds': slow_seconds}))
finally:
    server.terminate()
    server.wait(timeout=10)
'''


@pytest.fixture(scope='module')
def boot_script():
    template = yaml.safe_load((ROOT / 'templates/lib/nova_web_server.yaml').read_text())
    user_data = template['resources']['server']['properties']['user_data']['str_replace']
    assert list(user_data['params']) == ['__PORT__']
    return user_data['template'].replace('__PORT__', str(PORT))


def written_files(script):
    """{path: content} of the `cat > PATH <<'EOF' ... EOF` here-documents."""
    return {match.group('path'): match.group('body') for match in re.finditer(
        r"cat > (?P<path>\S+) <<'(?P<end>\w+)'\n(?P<body>.*?\n)(?P=end)\n", script, re.S)}


def test_boot_script_is_valid_posix_shell(boot_script):
    assert boot_script.startswith('#!/bin/sh\n')
    checked = subprocess.run(['dash', '-n'], input=boot_script, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert sorted(written_files(boot_script)) == [
        '/etc/systemd/system/identity-web.service', '/usr/local/bin/identity-web']


def test_its_systemd_unit_verifies(boot_script, tmp_path):
    unit = tmp_path / 'identity-web.service'
    unit.write_text(written_files(boot_script)['/etc/systemd/system/identity-web.service'])
    assert 'ExecStart=/usr/bin/python3 /usr/local/bin/identity-web %d' % PORT in unit.read_text()
    verified = subprocess.run(['systemd-analyze', 'verify', str(unit)], capture_output=True,
                              text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stderr.strip() == '', verified.stderr


def test_its_web_server_answers_get_and_head_with_its_identity(boot_script, tmp_path):
    program = tmp_path / 'identity-web'
    program.write_text(written_files(boot_script)['/usr/local/bin/identity-web'])
    ran = subprocess.run(
        ['unshare', '--map-root-user', '--net', sys.executable, '-c', DRIVER,
         str(program), str(PORT)], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    result = json.loads(ran.stdout.strip().splitlines()[-1])
    identity = '%s 127.0.0.1:%d' % (result['hostname'], PORT)

    head, _, body = result['answers']['GET'].partition('\r\n\r\n')
    assert head.startswith('HTTP/1.0 200 '), head
    assert 'X-Served-By: %s' % identity in head.split('\r\n')
    assert body == 'served-by: %s\n' % identity

    head, _, body = result['answers']['HEAD'].partition('\r\n\r\n')
    assert head.startswith('HTTP/1.0 200 '), head
    assert 'Content-Length: %d' % len('served-by: %s\n' % identity) in head.split('\r\n')
    assert body == '', 'a HEAD answer must have no body: %r' % body

    # ?sleep=SECONDS answers that much later (the slow requests of the scenario tests).
    assert result['answers']['slow'].partition('\r\n\r\n')[2] == 'served-by: %s\n' % identity
    assert result['slow_seconds'] >= 0.5
