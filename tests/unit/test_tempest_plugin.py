"""The Tempest plugin registers its options and test directory, and every scenario module
imports (Tempest discovers them by import; a broken one would vanish from `tempest run`)."""
import importlib
import pathlib

from oslo_config import cfg

from tempest_plugin import config
from tempest_plugin import plugin

SCENARIOS = pathlib.Path(config.REPOSITORY) / 'tempest_plugin' / 'tests' / 'scenario'


def test_plugin_registers_its_options_and_test_dir():
    conf = cfg.ConfigOpts()
    tempest_plugin = plugin.HeatLbaasTempestPlugin()
    tempest_plugin.register_opts(conf)
    conf([])
    assert conf.heat_lbaas.environments == [
        str(pathlib.Path(config.REPOSITORY) / 'environments' / 'devcloud.yaml')]
    assert pathlib.Path(conf.heat_lbaas.templates_dir, 'autoscaling_web.yaml').is_file()
    assert conf.service_available.heat_lbaas is True
    assert {group for group, _ in tempest_plugin.get_opt_lists()} == {
        'heat_lbaas', 'service_available'}
    test_dir, top_level = tempest_plugin.load_tests()
    assert test_dir.endswith('tempest_plugin/tests')
    assert test_dir.startswith(top_level)


def test_every_scenario_module_imports_and_has_tests():
    modules = sorted(path.stem for path in SCENARIOS.glob('test_*.py'))
    assert len(modules) == 6, modules
    for name in modules:
        module = importlib.import_module('tempest_plugin.tests.scenario.' + name)
        tests = [attribute for value in vars(module).values() if isinstance(value, type)
                 for attribute in vars(value) if attribute.startswith('test_')]
        assert tests, name
