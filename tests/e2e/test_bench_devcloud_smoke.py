"""make bench's devcloud modules at smoke size, through the driver (python -m bench):
members through Heat (N=2, each type), one scale-up and scale-down of the autoscaled web
tier, devcloud up cold and warm. Each module brings up and down a devcloud of its own
(in a temporary state dir, with a VIP subnet of its own). Every figure must be a number
and the scale steps must not fail a request; no figure is checked against its target:
speed is make bench's business."""
import json
import math
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEVCLOUD_MODULES = ('heat_members', 'scale_latency', 'devcloud_startup')


def test_devcloud_bench_modules_run_at_smoke_size(tmp_path):
    out = tmp_path / 'results'
    env = {name: value for name, value in os.environ.items()
           if name not in ('OS_CLOUD', 'OS_CLIENT_CONFIG_FILE', 'HEAT_LBAAS_DEVCLOUD_DIR')}
    completed = subprocess.run(
        [sys.executable, '-m', 'bench', '--size', 'smoke', '--only',
         ','.join(DEVCLOUD_MODULES), '--out', str(out)],
        capture_output=True, text=True, timeout=1500, cwd=str(ROOT), env=env)
    assert completed.returncode == 0, completed.stdout + completed.stderr

    modules = {entry['name']: entry
               for entry in json.loads((out / 'results.json').read_text())['modules']}
    assert sorted(modules) == sorted(DEVCLOUD_MODULES)
    for entry in modules.values():
        assert entry['status'] == 'ok', entry.get('error')
        for figure in entry['figures']:
            assert isinstance(figure['value'], (int, float)), figure
            assert math.isfinite(figure['value']), figure
    figures = {figure['name']: figure for figure in modules['scale_latency']['figures']}
    assert figures['failed requests during the scale steps']['value'] == 0
    # The profile found every milestone of the scale-up in the services' logs.
    phases = [name for name in figures if name.startswith('scale-up phase:')]
    assert len(phases) == 9, phases
    members = {figure['name'] for figure in modules['heat_members']['figures']}
    for variant in ('OS::Octavia::PoolMember', 'LBaaS::Member', 'LBaaS::PoolMembers'):
        assert any(name.startswith('%s N=2 stack create' % variant) for name in members)
    startup = {figure['name'] for figure in modules['devcloud_startup']['figures']}
    assert {'devcloud up, cold (fresh state dir)',
            'devcloud up, warm (same state dir after down)'} <= startup
