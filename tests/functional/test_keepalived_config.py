"""The rendered keepalived.conf is one keepalived 2.2 accepts (`keepalived -t`), and
the check it runs tells a live HAProxy from a dead one."""
import socket
import subprocess
import time

import pytest

from heat_lbaas.controller.amphora import keepalived_render
from heat_lbaas.controller.amphora import vrrp_check

def _amphora(role, address, stats_socket):
    return keepalived_render.VrrpAmphora(amphora_id='%s-amphora' % role.lower(),
                                         role=role, vrrp_ip=address, interface='eth0',
                                         stats_socket=stats_socket)


def _keepalived_test(path):
    return subprocess.run(['keepalived', '-t', '-f', str(path)], capture_output=True,
                          text=True)


@pytest.mark.parametrize('advert_int', [1, 0.5])
@pytest.mark.parametrize('role', [keepalived_render.MASTER, keepalived_render.BACKUP])
def test_keepalived_accepts_the_rendered_configuration(tmp_path, role, advert_int):
    own = _amphora(role, '198.18.9.2', str(tmp_path / 'stats'))
    peer = _amphora('BACKUP' if role == 'MASTER' else 'MASTER', '198.18.9.3', '/x')
    path = tmp_path / 'keepalived.conf'
    path.write_text(keepalived_render.render(
        '1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d', vrrp_id=7, auth_pass='s3cr3t',
        vip_address='198.18.9.10', vip_prefixlen=32, amphora=own, peers=[peer],
        timing=keepalived_render.VrrpTiming(advert_int=advert_int),
        script_user='root'))
    result = _keepalived_test(path)
    assert result.returncode == 0, result.stderr
    # The same check fails a damaged file, so the acceptance above means something.
    path.write_text(path.read_text().replace('advert_int', 'advert_interval'))
    assert _keepalived_test(path).returncode != 0


def test_the_check_passes_only_while_haproxy_answers(tmp_path):
    path = str(tmp_path / 'stats')
    began = time.monotonic()
    assert vrrp_check.main([path]) == 1         # no socket at all
    # No HAProxy: failed at once (the one retry after PAUSE), not after a timeout.
    assert time.monotonic() - began < vrrp_check.TIMEOUT
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(path)
        server.listen()
        # A socket nobody reads answers nothing within the check's timeout.
        assert vrrp_check.main([path]) == 1
    assert vrrp_check.main([]) == 1


def test_the_check_passes_while_a_real_haproxy_answers(tmp_path):
    path = str(tmp_path / 'stats')
    config = tmp_path / 'haproxy.cfg'
    config.write_text('global\n    stats socket %s mode 600 level admin\n'
                      'defaults\n    timeout client 1s\n' % path)
    haproxy = subprocess.Popen(['haproxy', '-f', str(config)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            if vrrp_check.main([path]) == 0:
                break
        assert vrrp_check.main([path]) == 0
        assert vrrp_check.main([path, str(tmp_path / 'other')]) == 1
    finally:
        haproxy.kill()
        haproxy.wait()
    assert vrrp_check.main([path]) == 1
