"""This project's Tempest scenario tests (tempest_plugin/tests/scenario), run by
`make test` as `make tempest` runs them: a devcloud with Keystone and real HAProxy,
Heat stacks of the shipped templates, real HTTP through each VIP. Every scenario test
runs and passes: none may fail, and none may skip (a skip here would be a test the
devcloud no longer proves)."""
import ast

from tests.support.tempest_run import ROOT, run_suite, summary

TEMPEST = ROOT / '.venv' / 'bin' / 'tempest'
SCENARIOS = ROOT / 'tempest_plugin' / 'tests' / 'scenario'


def scenario_test_count():
    """The test methods the scenario modules declare (what `tempest run` must run)."""
    return sum(
        1 for module in SCENARIOS.glob('test_*.py')
        for node in ast.walk(ast.parse(module.read_text()))
        if isinstance(node, ast.FunctionDef) and node.name.startswith('test_'))


def test_every_scenario_passes_on_the_keystone_devcloud():
    expected = scenario_test_count()
    status, totals, output = run_suite('heat_lbaas', TEMPEST)
    assert status == 0 and totals.get('Failed') == 0, summary(output)
    assert totals.get('Skipped') == 0, summary(output)
    assert totals.get('Passed') == expected, (expected, totals)
