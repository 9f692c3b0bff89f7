from oslo_config import cfg

from tempest_plugin import plugin


def test_plugin_registers_its_options_and_test_dir():
    conf = cfg.ConfigOpts()
    tempest_plugin = plugin.HeatLbaasTempestPlugin()
    tempest_plugin.register_opts(conf)
    conf([])
    assert conf.heat_lbaas.environment == 'environments/devcloud.yaml'
    test_dir, top_level = tempest_plugin.load_tests()
    assert test_dir.endswith('tempest_plugin/tests')
    assert test_dir.startswith(top_level)
