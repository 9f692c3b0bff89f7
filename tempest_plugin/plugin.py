"""Entry point `tempest.test_plugins = heat_lbaas`.

The scenario tests (stacks that balance, scale and route, checked with real HTTP
traffic) are the subject of a later issue; this registers the plugin and its options
so that `tempest list-plugins` shows it and the options can be configured now.
"""
import os

from tempest.test_discover import plugins

from tempest_plugin import config


class HeatLbaasTempestPlugin(plugins.TempestPlugin):
    def load_tests(self):
        top_level = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        return os.path.join(top_level, 'tempest_plugin', 'tests'), top_level

    def register_opts(self, conf):
        conf.register_group(config.group)
        conf.register_opts(config.OPTIONS, group=config.group)

    def get_opt_lists(self):
        return [(config.group.name, config.OPTIONS)]
