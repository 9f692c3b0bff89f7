"""make bench's driver end to end at smoke size (tiny: seconds): the fast modules run
for real (controller, HAProxy, wrk) and leave results.json, report.md and the plots,
with every figure a number. No figure is checked against its target: speed is make
bench's business, not make test's."""
import json
import math
import os
import subprocess
import sys

FAST_MODULES = ('controller', 'dataplane', 'failover')


def test_bench_smoke_run_writes_json_markdown_and_plots(tmp_path):
    out = tmp_path / 'results'
    completed = subprocess.run(
        [sys.executable, '-m', 'bench', '--size', 'smoke', '--only', ','.join(FAST_MODULES),
         '--out', str(out)], capture_output=True, text=True, timeout=600,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    assert completed.returncode == 0, completed.stdout + completed.stderr

    results = json.loads((out / 'results.json').read_text())
    assert [entry['name'] for entry in results['modules']] == list(FAST_MODULES)
    assert results['run']['cores'] == os.cpu_count()
    for entry in results['modules']:
        assert entry['status'] == 'ok', entry.get('error')
        assert entry['figures'], entry['name']
        for figure in entry['figures']:
            value = figure['value']
            assert isinstance(value, (int, float)) and math.isfinite(value), figure
            assert figure['met'] in (True, False, None)
        for series in entry['series']:
            assert (out / ('%s.png' % series['plot'])).read_bytes()[:4] == b'\x89PNG'
    report = (out / 'report.md').read_text()
    for entry in results['modules']:
        assert '## %s' % entry['title'] in report
    assert 'req/s through the LB, 16 conns' in report
    # Each figure is printed next to its target, with the machine's cores and load.
    assert 'target: within 5% of the minimal proxy' in completed.stdout
    assert '%d cores, load' % os.cpu_count() in completed.stdout
