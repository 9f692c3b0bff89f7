"""Bandit, the security linter of OpenStack's gates, run the way Octavia's gate runs it
(`bandit -r octavia -ll -ii -x octavia/tests`: medium severity and confidence and above)
over everything heat-lbaas installs. A finding fails make test; each finding that is
accepted carries a `# nosec BXXX` with the reason beside it (docs/reliability.md lists
them and the low-severity ones below the gate)."""
import json
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]
BANDIT = pathlib.Path(sys.executable).parent / 'bandit'
GATE = ['-ll', '-ii']
SCANNED = ['heat_lbaas', 'tempest_plugin']


def test_bandit_finds_nothing_at_octavias_gate_level():
    result = subprocess.run([str(BANDIT), '-q', '-r', *SCANNED, *GATE, '-f', 'json'],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout)
    findings = ['%s %s:%s %s' % (r['test_id'], r['filename'], r['line_number'],
                                 r['issue_text']) for r in report['results']]
    assert not findings, '\n'.join(findings)
    assert not report['errors'], report['errors']
    assert result.returncode == 0, result.stderr
    assert report['metrics']['_totals']['loc'] > 1000   # it scanned the code
