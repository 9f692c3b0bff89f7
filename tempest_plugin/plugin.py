"""Entry point `tempest.test_plugins = heat_lbaas`: the scenario tests in
tempest_plugin/tests/scenario and their options (tempest_plugin/config.py)."""
import os

from tempest.test_discover import plugins

from tempest_plugin import config


class HeatLbaasTempestPlugin(plugins.TempestPlugin):
    def load_tests(self):
        top_level = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        return os.path.join(top_level, 'tempest_plugin', 'tests'), top_level

    def register_opts(self, conf):
        conf.register_opts(config.SERVICE_AVAILABLE_OPTIONS,
                           group=config.service_available_group)
        conf.register_group(config.group)
        conf.register_opts(config.OPTIONS, group=config.group)

    def get_opt_lists(self):
        return [(config.group.name, config.OPTIONS),
                (config.service_available_group.name, config.SERVICE_AVAILABLE_OPTIONS)]
