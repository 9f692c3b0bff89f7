"""Octavia's Tempest suite, run by `make test` as `make tempest-octavia` runs it
(scripts/tempest.sh: a devcloud with Keystone in a temporary directory, tempest.conf,
`tempest run`, down): a fast subset of octavia-tempest-plugin's API tests (load
balancer, listener, L7 policy and L7 rule modules, without PROMETHEUS)
against the controller's noop driver: no failure, and at least the tests recorded in
docs/controller.md pass. (This project's own scenario tests: test_scenario_suite.py.)"""
from tests.support.tempest_run import ROOT, run_suite, summary

OCTAVIA_TEMPEST = ROOT / '.venv-octavia-tempest' / 'bin' / 'tempest'
# PROMETHEUS listeners are not served yet (the provider answers 501): their tests
# are left out of the subset, not failed. UDP and SCTP ones are in (the noop driver
# takes them, as Octavia's).
OCTAVIA_SUBSET = (r'^octavia_tempest_plugin\.tests\.api\.v2\.'
                  r'test_(load_balancer|listener|l7policy|l7rule)\.(?!.*prometheus)')
# Passed by the controller in that subset on 2026-11-30 (make tempest-octavia with
# OCTAVIA_TESTS set to it: 94 passed, 0 failed, 0 skipped; docs/controller.md).
OCTAVIA_SUBSET_PASSED = 94


def test_octavias_api_suite_subset_passes_against_the_noop_controller():
    status, totals, output = run_suite('octavia', OCTAVIA_TEMPEST, OCTAVIA_SUBSET)
    assert totals.get('Failed') == 0 and status == 0, summary(output)
    assert totals['Passed'] >= OCTAVIA_SUBSET_PASSED, totals
