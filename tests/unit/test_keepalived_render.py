"""keepalived.conf of an ACTIVE_STANDBY amphora: what Octavia's template holds, filled
from the amphora, its peer and the [keepalived_vrrp] timing."""
import pytest

from heat_lbaas.controller.amphora import keepalived_render
from heat_lbaas.controller.amphora import vrrp_check

LB_ID = '0b8d5c4e-1f2a-4b3c-9d8e-7f6a5b4c3d2e'
TIMING = keepalived_render.VrrpTiming(advert_int=3, check_interval=4, fail_count=5,
                                      success_count=6, garp_refresh_interval=7,
                                      garp_refresh_count=8)


def _amphora(role, address):
    return keepalived_render.VrrpAmphora(
        amphora_id='amp-%s' % role.lower(), role=role, vrrp_ip=address,
        interface='eth0', stats_socket='/tmp/hlb-x/%s.stats' % role.lower())


MASTER = _amphora('MASTER', '198.18.7.2')
BACKUP = _amphora('BACKUP', '198.18.7.3')


def _render(amphora, peer, **changes):
    arguments = dict(loadbalancer_id=LB_ID, vrrp_id=42, auth_pass='a1b2c3d4',
                     vip_address='198.18.7.10', vip_prefixlen=32, amphora=amphora,
                     peers=[peer], timing=TIMING, script_user='root')
    arguments.update(changes)
    return keepalived_render.render(**arguments)


def _lines(text):
    return [line.strip() for line in text.splitlines() if not line.lstrip().startswith('#')]


def test_each_amphora_of_the_pair_names_itself_and_its_peer():
    master, backup = _lines(_render(MASTER, BACKUP)), _lines(_render(BACKUP, MASTER))
    assert 'priority 100' in master and 'priority 90' in backup
    for lines, own, peer in ((master, MASTER, BACKUP), (backup, BACKUP, MASTER)):
        assert 'unicast_src_ip %s' % own.vrrp_ip in lines
        peers = lines[lines.index('unicast_peer {') + 1:]
        assert peers[:2] == [peer.vrrp_ip, '}']
        assert '198.18.7.10/32 dev eth0' in lines
        assert 'virtual_router_id 42' in lines and 'auth_pass a1b2c3d4' in lines
        assert 'vrrp_instance %s {' % LB_ID.replace('-', '') in lines
        # Octavia's behaviour: elected by priority, never preempting a serving MASTER.
        assert 'nopreempt' in lines and not any(line.startswith('state ') for line in lines)


def test_timing_comes_from_the_keepalived_vrrp_options():
    lines = _lines(_render(MASTER, BACKUP))
    for line in ('advert_int 3', 'interval 4', 'timeout %d' % max(
            4, keepalived_render.CHECK_TIMEOUT), 'fall 5', 'rise 6',
                 'garp_master_refresh 7', 'garp_master_refresh_repeat 8'):
        assert line in lines


def test_the_check_asks_the_amphoras_own_stats_socket():
    script = [line for line in _lines(_render(BACKUP, MASTER)) if line.startswith('script ')]
    assert len(script) == 1
    words = script[0].split()
    assert words[-1] == BACKUP.stats_socket + '"'
    assert words[-2].endswith('/vrrp_check.py')


@pytest.mark.parametrize('changes', [{'vrrp_id': 0}, {'vrrp_id': 256},
                                     {'auth_pass': 'ninechars'}, {'auth_pass': 'a b'}])
def test_values_keepalived_would_misread_are_refused(changes):
    with pytest.raises(ValueError):
        _render(MASTER, BACKUP, **changes)


def test_a_check_path_keepalived_would_split_is_refused():
    with pytest.raises(ValueError):
        keepalived_render.check_command(['/tmp/with space/stats'])


def test_a_fraction_of_a_second_between_advertisements_is_vrrp_version_3():
    whole = _lines(_render(MASTER, BACKUP))
    assert 'vrrp_version 2' in whole and 'auth_type PASS' in whole
    fraction = _lines(_render(MASTER, BACKUP, timing=keepalived_render.VrrpTiming(
        advert_int=0.5)))
    assert 'vrrp_version 3' in fraction and 'advert_int 0.50' in fraction
    # VRRPv3 has no authentication: keepalived would refuse the block.
    assert not any(line.startswith('auth') for line in fraction)


def test_keepalived_lets_a_slow_check_finish():
    """A check keepalived ends counts failed and moves the VIP: its deadline covers the
    check's longest wait and a slow Python start."""
    timing = keepalived_render.VrrpTiming(check_interval=1)
    lines = _lines(_render(MASTER, BACKUP, timing=timing))
    timeout, = [int(line.split()[1]) for line in lines if line.startswith('timeout ')]
    assert timeout >= vrrp_check.LONGEST_WAIT + keepalived_render.PYTHON_START_ALLOWANCE
