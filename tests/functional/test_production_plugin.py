"""The plugin module an operator installs on a production Heat registers the Octavia
types and nothing of the devcloud: a tenant of a real cloud cannot start processes on
the engine's host (LBaaS::Dev::WebServer) nor make it POST URLs of its choice
(LBaaS::Dev::LoadAlarm).

Each case loads a plugin module into a real Heat global environment the way
heat-engine does (plugin_dirs, heat.engine.resources.initialise), in a fresh
interpreter because Heat's global environment is built once per process."""
import json
import pathlib
import subprocess
import sys

from heat_lbaas.devcloud import config as devcloud_config

REPO = pathlib.Path(__file__).resolve().parents[2]
PRODUCTION_PLUGIN = REPO / 'etc' / 'heat' / 'plugins' / 'heat_lbaas_plugin.py'
DEV_TYPES = ['LBaaS::Dev::WebServer', 'LBaaS::Dev::LoadAlarm']
OCTAVIA_TYPES = ['LBaaS::LoadBalancer', 'LBaaS::Listener', 'LBaaS::Pool',
                 'LBaaS::Member', 'LBaaS::PoolMembers', 'LBaaS::HealthMonitor',
                 'LBaaS::L7Policy', 'LBaaS::L7Rule', 'LBaaS::LoadBalancerTree']

# Run in a fresh interpreter: load plugin_dirs into Heat's global environment and
# report which types resolve and which heat_lbaas modules were imported.
LOAD_IN_HEAT = '''
import json, sys
from heat.common import config  # noqa: F401 (registers plugin_dirs)
from heat.common import exception
from heat.engine import resources
from oslo_config import cfg
cfg.CONF([], project='heat', default_config_files=[])
cfg.CONF.set_override('plugin_dirs', [sys.argv[1]])
resources.initialise()
env = resources.global_env()
known = {}
for name in sys.argv[2:]:
    try:
        env.get_class(name)
        known[name] = True
    except exception.EntityNotFound:
        known[name] = False
print(json.dumps({'known': known,
                  'modules': sorted(m for m in sys.modules if m.startswith('heat_lbaas'))}))
'''


def load_in_heat(plugin_text, tmp_path):
    plugin_dir = tmp_path / 'plugins'
    plugin_dir.mkdir()
    (plugin_dir / 'heat_lbaas_plugin.py').write_text(plugin_text)
    result = subprocess.run(
        [sys.executable, '-c', LOAD_IN_HEAT, str(plugin_dir), *DEV_TYPES, *OCTAVIA_TYPES],
        capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_plugin_registers_only_the_octavia_types(tmp_path):
    loaded = load_in_heat(PRODUCTION_PLUGIN.read_text(), tmp_path)
    for name in OCTAVIA_TYPES:
        assert loaded['known'][name], name
    for name in DEV_TYPES:
        assert not loaded['known'][name], '%s is known to a production Heat' % name
    assert not [m for m in loaded['modules'] if m.startswith(
        ('heat_lbaas.devcloud', 'heat_lbaas.controller'))], loaded['modules']
    # Octavia's values come from the vocabulary both sides share, not the controller.
    assert 'heat_lbaas.octavia_vocabulary' in loaded['modules'], loaded['modules']


def test_devcloud_plugin_adds_the_dev_types(tmp_path):
    loaded = load_in_heat(devcloud_config.PLUGIN_MODULE, tmp_path)
    assert all(loaded['known'][name] for name in OCTAVIA_TYPES + DEV_TYPES), loaded
