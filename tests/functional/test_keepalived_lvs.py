"""keepalived's LVS configuration of UDP and SCTP listeners (amphora/lvs_render.py),
rendered from trees built through the API (the in-process controller with the noop
driver) and checked by keepalived itself (`keepalived -t`) inside a real network
namespace; the UDP-CONNECT check against a real UDP server.

Nothing here runs keepalived as a daemon: this kernel has no IPVS to program (the
haproxy driver serves UDP with nftables instead: test_udp_dataplane.py)."""
import re
import shutil
import subprocess
import sys
import uuid

import pytest

from heat_lbaas.controller.amphora import lvs_check
from heat_lbaas.controller.amphora import lvs_render
from heat_lbaas.controller.db import tree as tree_module
from tests.support import datagram_echo
from tests.support import ports

pytestmark = pytest.mark.noop_amphorae

KEEPALIVED = shutil.which('keepalived') or '/usr/sbin/keepalived'


@pytest.fixture(scope='module')
def namespace():
    """A network namespace of this module's, as the amphora's would be."""
    name = 'hlb-lvs-test-%s' % uuid.uuid4().hex[:8]
    subprocess.run(['ip', 'netns', 'add', name], check=True)
    yield name
    subprocess.run(['ip', 'netns', 'delete', name], check=True)


def keepalived_test(text, tmp_path):
    """keepalived's own check of a configuration: (exit status, what it said)."""
    path = tmp_path / 'keepalived.conf'
    path.write_text(text)
    checked = subprocess.run([KEEPALIVED, '--log-console', '--config-test', '-f',
                              str(path)], capture_output=True, text=True, timeout=30)
    return checked.returncode, checked.stdout + checked.stderr


@pytest.fixture
def lb(api):
    created = api.new_loadbalancer()
    yield created
    api.delete_loadbalancer(created['id'])


def build_udp_tree(api, lb, monitor):
    """A UDP listener with a SOURCE_IP pool, three members and `monitor`."""
    lb_id = lb['id']
    listener = api.create_child(lb_id, 'listeners', 'listener', loadbalancer_id=lb_id,
                                protocol='UDP', protocol_port=53, connection_limit=500)
    pool = api.create_child(lb_id, 'pools', 'pool', listener_id=listener['id'],
                            protocol='UDP', lb_algorithm='SOURCE_IP',
                            session_persistence={
                                'type': 'SOURCE_IP', 'persistence_timeout': 90,
                                'persistence_granularity': '255.255.255.0'})
    members = [
        api.create_child(lb_id, 'pools/%s/members' % pool['id'], 'member', **fields)
        for fields in ({'address': '192.0.2.1', 'protocol_port': 5353, 'weight': 3},
                       {'address': '192.0.2.2', 'protocol_port': 5353, 'weight': 0,
                        'monitor_address': '192.0.2.20', 'monitor_port': 8053},
                       {'address': '192.0.2.3', 'protocol_port': 5353,
                        'admin_state_up': False})]
    if monitor:
        api.create_child(lb_id, 'healthmonitors', 'healthmonitor', pool_id=pool['id'],
                         max_retries=2, max_retries_down=4, **monitor)
    return listener, pool, members


def tree_of(controller, lb_id):
    return tree_module.load_tree(controller.controller.store, lb_id)


def test_a_udp_listener_renders_keepalived_virtual_server(api, controller, lb,
                                                          namespace, tmp_path):
    listener, pool, members = build_udp_tree(api, lb, {
        'type': 'UDP-CONNECT', 'delay': 5, 'timeout': 2})
    text = lvs_render.render(tree_of(controller, lb['id']), namespace=namespace)
    assert keepalived_test(text, tmp_path) == (0, '')
    vip = lb['vip_address']
    assert 'net_namespace %s\n' % namespace in text
    assert re.search(r'virtual_server %s 53 \{\n    lb_algo sh\n    lb_kind NAT\n'
                     r'    protocol UDP\n    persistence_timeout 90\n'
                     r'    persistence_granularity 255\.255\.255\.0\n'
                     r'    delay_loop 5\n    delay_before_retry 5\n    retry 4\n'
                     % re.escape(vip), text), text
    check = ' '.join(lvs_render.UDP_CHECK_COMMAND)
    assert ('    real_server 192.0.2.1 5353 {\n        weight 3\n        uthreshold 500\n'
            '        MISC_CHECK {\n            misc_path "%s udp 2 192.0.2.1 5353"\n'
            '            misc_timeout 3\n        }\n    }\n' % check) in text
    # Weight 0 drains; the check goes to the monitor address and port.
    assert ('real_server 192.0.2.2 5353 {\n        weight 0\n' in text and
            'udp 2 192.0.2.20 8053"' in text)
    assert '# Member %s is disabled' % members[2]['id'] in text
    assert 'real_server 192.0.2.3' not in text


def test_what_keepalived_refuses_is_caught_by_the_check(api, controller, lb,
                                                        namespace, tmp_path):
    build_udp_tree(api, lb, None)
    text = lvs_render.render(tree_of(controller, lb['id']), namespace=namespace)
    assert keepalived_test(text, tmp_path) == (0, '')
    status, said = keepalived_test(text.replace('persistence_timeout 90',
                                                'persistence_timeout 2678401'), tmp_path)
    assert status != 0 and 'persistence_timeout invalid' in said


@pytest.mark.parametrize('protocol,algorithm,monitor,block', [
    ('UDP', 'ROUND_ROBIN', {'type': 'HTTP', 'delay': 4, 'timeout': 2,
                            'url_path': '/health!z', 'expected_codes': '200-202'},
     # Quoted: keepalived cuts an unquoted word at '!' (a comment).
     'HTTP_GET {\n            url {\n                path "/health!z"\n'
     '                status_code 200\n            }\n'),
    ('SCTP', 'LEAST_CONNECTIONS', {'type': 'TCP', 'delay': 4, 'timeout': 2},
     'TCP_CHECK {\n            connect_ip 192.0.2.1\n            connect_port 5353\n'),
    ('SCTP', 'SOURCE_IP_PORT', None, None),
])
def test_each_protocol_algorithm_and_monitor_renders_valid(api, controller, lb,
                                                          namespace, tmp_path, protocol,
                                                          algorithm, monitor, block):
    lb_id = lb['id']
    listener = api.create_child(lb_id, 'listeners', 'listener', loadbalancer_id=lb_id,
                                protocol=protocol, protocol_port=3868)
    pool = api.create_child(lb_id, 'pools', 'pool', listener_id=listener['id'],
                            protocol=protocol, lb_algorithm=algorithm)
    api.create_child(lb_id, 'pools/%s/members' % pool['id'], 'member',
                     address='192.0.2.1', protocol_port=5353)
    if monitor:
        api.create_child(lb_id, 'healthmonitors', 'healthmonitor', pool_id=pool['id'],
                         max_retries=2, **monitor)
    text = lvs_render.render(tree_of(controller, lb_id), namespace=namespace)
    assert keepalived_test(text, tmp_path) == (0, '')
    assert 'protocol %s\n' % protocol in text
    assert 'lb_algo %s\n' % lvs_render.SCHEDULERS[algorithm] in text
    assert ('sh-port' in text) == (algorithm == 'SOURCE_IP_PORT')
    if block:
        assert block in text
        if monitor['type'] == 'HTTP':
            assert text.count('status_code') == 3
    else:
        assert 'delay_loop' not in text and '_CHECK' not in text


def test_only_udp_and_sctp_listeners_with_a_pool_are_rendered(api, controller, lb):
    lb_id = lb['id']
    api.create_child(lb_id, 'listeners', 'listener', loadbalancer_id=lb_id,
                     protocol='TCP', protocol_port=53)
    api.create_child(lb_id, 'listeners', 'listener', loadbalancer_id=lb_id,
                     protocol='UDP', protocol_port=53)
    # No default pool: no virtual server, as Octavia.
    assert lvs_render.render(tree_of(controller, lb_id)) is None


def test_persistence_defaults_and_ipv6_granularity(api, controller, tmp_path, namespace):
    lb = api.new_loadbalancer(vip_address='2001:db8::10',
                              vip_subnet_id=str(uuid.uuid4()))
    try:
        lb_id = lb['id']
        listener = api.create_child(lb_id, 'listeners', 'listener',
                                    loadbalancer_id=lb_id, protocol='UDP',
                                    protocol_port=53)
        pool = api.create_child(lb_id, 'pools', 'pool', listener_id=listener['id'],
                                protocol='UDP', lb_algorithm='ROUND_ROBIN',
                                session_persistence={'type': 'SOURCE_IP'})
        api.create_child(lb_id, 'pools/%s/members' % pool['id'], 'member',
                         address='2001:db8::20', protocol_port=53)
        text = lvs_render.render(tree_of(controller, lb_id), namespace=namespace)
        assert keepalived_test(text, tmp_path) == (0, '')
        # Octavia's defaults: 360 s, the whole address (a prefix length for IPv6).
        assert 'persistence_timeout 360\n    persistence_granularity 128\n' in text
        api.update_child(lb_id, '/pools/' + pool['id'], 'pool', session_persistence={
            'type': 'SOURCE_IP', 'persistence_granularity': 'ffff:ffff:ffff:ffff::'})
        text = lvs_render.render(tree_of(controller, lb_id), namespace=namespace)
        assert keepalived_test(text, tmp_path) == (0, '')
        assert 'persistence_granularity 64\n' in text
    finally:
        api.delete_loadbalancer(lb['id'])


def test_the_udp_connect_check_tells_a_listening_member_from_a_closed_port():
    echo = datagram_echo.DatagramEcho('dns')
    try:
        command = [sys.executable, '-m', 'heat_lbaas.controller.amphora.lvs_check',
                   'udp', '2']
        up = subprocess.run(command + [echo.address, str(echo.port)], timeout=30)
        assert up.returncode == lvs_check.UP
        closed_port = ports.free_port(echo.address)
        down = subprocess.run(command + [echo.address, str(closed_port)], timeout=30)
        assert down.returncode == lvs_check.DOWN
    finally:
        echo.stop()
    # The member stopped: its port now answers ICMP port unreachable.
    assert not lvs_check.udp_member_up(echo.address, echo.port, 2)


def test_an_sctp_monitor_is_not_rendered_until_an_sctp_check_exists(api, controller,
                                                                    lb):
    """Octavia checks SCTP members with an INIT (amphora-health-checker sctp); none is
    written here (this kernel has no SCTP to test one against), so the render says so
    rather than leave the members unchecked."""
    lb_id = lb['id']
    listener = api.create_child(lb_id, 'listeners', 'listener', loadbalancer_id=lb_id,
                                protocol='SCTP', protocol_port=3868)
    pool = api.create_child(lb_id, 'pools', 'pool', listener_id=listener['id'],
                            protocol='SCTP', lb_algorithm='ROUND_ROBIN')
    api.create_child(lb_id, 'pools/%s/members' % pool['id'], 'member',
                     address='192.0.2.1', protocol_port=3868)
    api.create_child(lb_id, 'healthmonitors', 'healthmonitor', pool_id=pool['id'],
                     type='SCTP', delay=3, timeout=2, max_retries=2)
    with pytest.raises(NotImplementedError):
        lvs_render.render(tree_of(controller, lb_id))
