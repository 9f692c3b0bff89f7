"""devcloud start-up and the demo (issue 13 §2.6): `heat-lbaas-devcloud up` cold (a
fresh state directory: configuration, Heat's database schema, then the services) and
warm (`up` again of the same state directory after `down`), and `make demo` end to end
(scripts/demo.sh: devcloud up, the autoscaled web stack, traffic, a scale-out on load and
the scale-in after it) in a fresh state directory of its own with a VIP subnet of its
own, so a devcloud or demo of someone else on this machine is not touched.

Every devcloud started here is brought down (`down`, which stops its processes by PID)
and its state directory removed.
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

from tests.support import devcloud as devcloud_support
from tests.support import ports

ROOT = pathlib.Path(__file__).resolve().parents[1]
DEMO = ROOT / 'scripts' / 'demo.sh'
DEMO_TIMEOUT = 900


def figure(name, seconds, note=''):
    return {'name': name, 'value': round(seconds, 2), 'unit': 's', 'target': None,
            'met': None, 'ratio': None, 'peer': None, 'note': note}


def up_cold_and_warm():
    """(cold, warm) seconds of `heat-lbaas-devcloud up` in a fresh state directory."""
    state_dir = tempfile.mkdtemp(prefix='hlb-bench-up-')
    cloud = devcloud_support.Devcloud(state_dir)
    try:
        cloud.up()
        cold = cloud.up_seconds
        cloud.down()
        cloud.up()
        warm = cloud.up_seconds
    finally:
        cloud.down()
        shutil.rmtree(state_dir, ignore_errors=True)
    return cold, warm


def demo_run():
    """(seconds, failure or None) of scripts/demo.sh in a fresh state directory (then
    brought down); a failed demo's logs are kept in a directory the failure names."""
    state_dir = tempfile.mkdtemp(prefix='hlb-bench-demo-')
    cloud = devcloud_support.Devcloud(state_dir)
    # The demo's devcloud and stack only: nothing exported by the caller's shell.
    env = {name: value for name, value in os.environ.items()
           if name not in ('OS_CLOUD', 'OS_CLIENT_CONFIG_FILE', 'HEAT_LBAAS_DEVCLOUD_DIR')}
    env['PATH'] = '%s:%s:/usr/sbin:/sbin' % (pathlib.Path(sys.executable).parent,
                                             env.get('PATH', ''))
    failure = None
    try:
        began = time.monotonic()
        completed = subprocess.run(
            ['bash', str(DEMO), '--state-dir', state_dir,
             '--vip-cidr', ports.random_loopback_subnet()],
            env=env, capture_output=True, text=True, timeout=DEMO_TIMEOUT)
        seconds = time.monotonic() - began
        if completed.returncode != 0:
            said = [line for line in completed.stderr.splitlines()
                    if line.startswith('demo FAILED')]
            logs = tempfile.mkdtemp(prefix='hlb-bench-demo-logs-')
            shutil.copytree(pathlib.Path(state_dir) / 'logs', logs, dirs_exist_ok=True)
            pathlib.Path(logs, 'demo.out').write_text(completed.stdout + completed.stderr)
            failure = '%s (exit %d; output and logs in %s)' % (
                said[-1] if said else 'failed', completed.returncode, logs)
    finally:
        if (pathlib.Path(state_dir) / 'devcloud.json').exists():
            cloud.down()
        shutil.rmtree(state_dir, ignore_errors=True)
    return seconds, failure


def run(size):
    cold, warm = up_cold_and_warm()
    figures = [figure('devcloud up, cold (fresh state dir)', cold,
                      'configuration, Heat db_sync, services answering'),
               figure('devcloud up, warm (same state dir after down)', warm)]
    if size == 'full':
        seconds, failure = demo_run()
        demo = figure('make demo end to end (scripts/demo.sh, fresh state dir)', seconds,
                      failure or '')
        demo.update(target='completes', met=failure is None)
        figures.append(demo)
    return {'title': 'devcloud start-up and the demo', 'section': '2.6',
            'figures': figures, 'series': []}
