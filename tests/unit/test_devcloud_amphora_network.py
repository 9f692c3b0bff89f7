"""The devcloud's choice of where amphorae run (devcloud/amphora_network.py)."""
import pytest

from heat_lbaas.devcloud import amphora_network
from heat_lbaas.devcloud import config as devcloud_config
from heat_lbaas.devcloud.settings import Settings


@pytest.mark.parametrize('asked, driver, can, chosen', [
    ('auto', 'haproxy', True, 'namespace'),
    ('auto', 'haproxy', False, 'loopback'),
    ('loopback', 'haproxy', True, 'loopback'),
    ('namespace', 'haproxy', True, 'namespace'),
    # Octavia's noop drivers and an external API run no HAProxy of ours.
    ('auto', 'noop', True, 'loopback'),
    ('namespace', 'external', True, 'loopback'),
])
def test_namespace_where_it_can_be_made(asked, driver, can, chosen):
    assert amphora_network.choose(asked, driver, can) == chosen


@pytest.mark.parametrize('option, first_up, last, asked', [
    (None, True, 'loopback', 'auto'),          # a new state dir: auto
    (None, False, 'loopback', 'loopback'),     # later: its last choice
    (None, False, 'namespace', 'namespace'),
    ('loopback', True, 'loopback', 'loopback'),
    ('auto', False, 'loopback', 'auto'),
])
def test_an_up_asks_for_the_option_else_auto_the_first_time(option, first_up, last,
                                                             asked):
    assert amphora_network.asked(option, first_up, last) == asked


def test_namespace_asked_where_it_cannot_be_made_is_refused():
    with pytest.raises(amphora_network.Unavailable, match='needs root'):
        amphora_network.choose('namespace', 'haproxy', False)


def test_every_state_directory_has_its_own_short_names():
    prefix, bridge = amphora_network.names('/srv/one/.devcloud')
    other_prefix, other_bridge = amphora_network.names('/srv/two/.devcloud')
    assert (prefix, bridge) == amphora_network.names('/srv/one/.devcloud')
    assert prefix != other_prefix and bridge != other_bridge
    assert len(bridge) <= 15 and bridge.startswith('hlbd')


def test_the_controller_configuration_names_the_topology(tmp_path):
    from heat_lbaas.devcloud.settings import StatePaths
    settings = Settings(heat_port=18004, controller_port=19876,
                        amphora_network='namespace', namespace_prefix='hlbdabc123',
                        namespace_bridge='hlbdabc123br', namespace_cidr='198.18.3.0/24')
    settings.fill_first_run_values()
    rendered = devcloud_config.render_controller_conf(settings, StatePaths(tmp_path))
    assert ('amphora_network = namespace\nnamespace_cidr = 198.18.3.0/24\n'
            'namespace_bridge = hlbdabc123br\nnamespace_prefix = hlbdabc123\n') in rendered
    settings.amphora_network = 'loopback'
    rendered = devcloud_config.render_controller_conf(settings, StatePaths(tmp_path))
    assert 'amphora_network = loopback\n' in rendered and 'namespace_' not in rendered
