"""make bench's driver (a failing module), report (bench/report.py) and wrk reader
(bench/wrk.py): rendering from a results dict and parsing of wrk's text."""
import json
import sys
import types

from bench import __main__ as bench_main
from bench import report
from bench import wrk


def results(modules):
    return {'run': {'command': 'python -m bench --size smoke', 'size': 'smoke', 'cores': 2,
                    'machine': 'test machine', 'started': '2026-11-30 20:00 UTC',
                    'load_before': [1.5, 1.0, 0.5], 'load_after': [2.0, 1.0, 0.5]},
            'modules': modules}


DATAPLANE = {
    'name': 'dataplane', 'title': 'Data plane', 'section': '2.3', 'status': 'ok',
    'seconds': 12.5, 'load_before': [1.0, 1.0, 1.0], 'load_after': [1.25, 1.0, 1.0],
    'figures': [{'name': 'req/s through the LB, 16 conns', 'value': 41234.0,
                 'unit': 'req/s', 'target': 'within 5% of the minimal proxy', 'met': False,
                 'ratio': 0.91, 'peer': 'minimal proxy', 'note': 'a|b'}],
    'series': [{'plot': 'dataplane_rps', 'title': 'rps', 'x_label': 'connections',
                'y_label': 'req/s', 'lines': [{'label': 'direct', 'x': [1, 16],
                                               'y': [10.0, 20.0]}]}]}
FAILED = {'name': 'failover', 'status': 'failed', 'seconds': 0.5,
          'load_before': [1.0, 1.0, 1.0], 'load_after': [1.0, 1.0, 1.0],
          'error': 'Traceback (most recent call last):\nRuntimeError: no amphora\n'}


def test_markdown_has_a_table_row_per_figure_with_ratio_target_and_verdict():
    text = report.markdown(results([DATAPLANE]), {'dataplane_rps': 'dataplane_rps.png'})
    assert '## Data plane (§2.3)' in text
    assert ('| req/s through the LB, 16 conns | 41,234 req/s | 0.910 | minimal proxy | '
            'within 5% of the minimal proxy | MISSED | a\\|b |') in text
    assert '![rps](dataplane_rps.png)' in text
    assert '2 cores' in text and '1.50/1.00/0.50' in text
    assert 'load 1.00/1.00/1.00 before, 1.25/1.00/1.00 after' in text


def test_a_failed_module_is_reported_with_its_error_and_the_others_stay():
    text = report.markdown(results([FAILED, DATAPLANE]))
    assert '**Failed**' in text and 'RuntimeError: no amphora' in text
    assert 'req/s through the LB, 16 conns' in text
    # Without a drawn plot no image is linked.
    assert '![' not in text
    lines = report.terminal_lines(FAILED, 2)
    assert lines[1] == '  FAILED: RuntimeError: no amphora'


def test_terminal_line_puts_the_figure_next_to_its_target():
    line = report.figure_line(DATAPLANE['figures'][0])
    assert '41,234 req/s' in line
    assert '0.910x minimal proxy' in line
    assert 'target: within 5% of the minimal proxy [MISSED]' in line
    header = report.terminal_lines(DATAPLANE, 2)[0]
    assert '2 cores' in header and 'load 1.00/1.00/1.00 before' in header


def test_values_are_formatted_by_magnitude():
    assert report.format_value(0.01234, 's') == '0.0123 s'
    assert report.format_value(2.5, 's') == '2.50 s'
    assert report.format_value(123.45, 'ms') == '123.5 ms'
    assert report.format_value(None, 's') == 'n/a'
    assert report.format_value(3, '') == '3'
    assert [report.verdict(met) for met in (True, False, None)] == ['met', 'MISSED', '-']


def test_write_makes_json_markdown_and_the_plots(tmp_path):
    data = results([dict(DATAPLANE)])
    files = report.write(data, str(tmp_path))
    assert files == {'dataplane_rps': 'dataplane_rps.png'}
    assert (tmp_path / 'dataplane_rps.png').read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
    assert json.loads((tmp_path / 'results.json').read_text())['modules'][0]['name'] == (
        'dataplane')
    assert '![rps](dataplane_rps.png)' in (tmp_path / 'report.md').read_text()


WRK_OUTPUT = '''Running 1s test @ http://127.0.0.1:8080/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   412.33us  200.10us   5.02ms   90.00%
    Req/Sec    19.50k     1.20k   21.00k    70.00%
  Latency Distribution
     50%  380.00us
     75%  450.12us
     90%    1.20ms
     99%    2.50s
  38812 requests in 1.00s, 3.11MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  38790.12
Transfer/sec:      3.11MB
'''


def test_wrk_output_is_read_into_seconds_and_counts():
    parsed = wrk.parse(WRK_OUTPUT)
    assert parsed['rps'] == 38790.12
    assert abs(parsed['p50'] - 380e-6) < 1e-12
    assert abs(parsed['p90'] - 1.2e-3) < 1e-12
    assert parsed['p99'] == 2.5
    assert parsed['requests'] == 38812
    assert parsed['errors'] == 7


def _module(name, run):
    module = types.ModuleType('bench.' + name)
    module.run = run
    return module


def test_a_module_that_raises_is_reported_failed_and_the_others_still_run(
        tmp_path, monkeypatch, capsys):
    def broken(size):
        raise RuntimeError('backend did not start')

    def working(size):
        return {'title': 'Works', 'section': '9', 'series': [], 'figures': [
            {'name': 'answer', 'value': 42, 'unit': '', 'target': None, 'met': None,
             'ratio': None, 'peer': None, 'note': size}]}

    monkeypatch.setitem(sys.modules, 'bench.broken_one', _module('broken_one', broken))
    monkeypatch.setitem(sys.modules, 'bench.working_one', _module('working_one', working))
    monkeypatch.setattr(bench_main, 'MODULES', ['broken_one', 'working_one'])
    status = bench_main.main(['--size', 'smoke', '--out', str(tmp_path)])
    assert status == 1
    written = json.loads((tmp_path / 'results.json').read_text())
    assert [(m['name'], m['status']) for m in written['modules']] == [
        ('broken_one', 'failed'), ('working_one', 'ok')]
    assert 'RuntimeError: backend did not start' in written['modules'][0]['error']
    assert written['modules'][1]['figures'][0]['note'] == 'smoke'
    printed = capsys.readouterr().out
    assert 'FAILED: RuntimeError: backend did not start' in printed
    assert 'failed modules: broken_one' in printed
    monkeypatch.setattr(bench_main, 'MODULES', ['working_one'])
    assert bench_main.main(['--size', 'smoke', '--out', str(tmp_path / 'ok')]) == 0
