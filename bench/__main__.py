"""`python -m bench [--size smoke|full] [--only name,name] [--out DIR]`: runs the
benchmark modules, prints each figure next to its target with the machine's cores and
load average, and writes DIR/results.json, DIR/report.md and DIR/<plot>.png.

The bench module contract: each module bench/<name>.py listed in MODULES exposes
`run(size) -> dict`, size 'smoke' (tiny, seconds: what make test's smoke test runs) or
'full' (make bench), returning

    {"title": "Data plane", "section": "2.3",
     "figures": [{"name": ..., "value": 41234.0, "unit": "req/s", "target": "...",
                  "met": true|false|null, "ratio": 0.97|null, "peer": "..."|null,
                  "note": ""}],
     "series": [{"plot": "dataplane_rps", "title": ..., "x_label": ..., "y_label": ...,
                 "lines": [{"label": ..., "x": [...], "y": [...]}]}]}

A module cleans up what it starts (by PID), binds only loopback and allocates its ports
at run time. A module that raises is reported as failed and the others still run; the
exit status is 1 when any module failed. Figures are never pass/fail: a missed target
is reported, not an error.
"""
import argparse
import datetime
import importlib
import os
import platform
import sys
import time
import traceback

from bench import report

# Run in this order; one per line (each helper adds its own).
MODULES = [
    'controller',
    'dataplane',
    'failover',
    'heat_members',
    'webserver',
    'scale_latency',
    'devcloud_startup',
]
SIZES = ('smoke', 'full')


def run_module(name, size):
    """The module's result with what the driver adds (name, status, time, load)."""
    entry = {'name': name, 'load_before': report.machine_load()}
    began = time.monotonic()
    try:
        module = importlib.import_module('bench.%s' % name)
        result = module.run(size)
        entry.update(result)
        entry['status'] = 'ok'
    except Exception:
        entry['status'] = 'failed'
        entry['error'] = traceback.format_exc()
    entry['seconds'] = round(time.monotonic() - began, 2)
    entry['load_after'] = report.machine_load()
    return entry


def machine_description():
    model = '?'
    try:
        with open('/proc/cpuinfo') as cpuinfo:
            for line in cpuinfo:
                if line.startswith('model name'):
                    model = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ''
    try:
        pages = os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE')
        memory = ', %.1f GiB RAM' % (pages / 2 ** 30)
    except (ValueError, OSError):
        pass
    return '%s, %d cores (%s)%s, Python %s' % (
        platform.platform(), os.cpu_count() or 0, model, memory, platform.python_version())


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog='python -m bench', description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--size', choices=SIZES, default='full')
    parser.add_argument('--only', default='',
                        help='comma-separated module names (default: all of %s)'
                        % ', '.join(MODULES))
    parser.add_argument('--out', default='bench-results',
                        help='directory for results.json, report.md and the plots')
    args = parser.parse_args(argv)
    names = [name for name in args.only.split(',') if name] or list(MODULES)
    unknown = [name for name in names if name not in MODULES]
    if unknown:
        parser.error('unknown modules: %s (known: %s)' % (', '.join(unknown),
                                                          ', '.join(MODULES)))
    return args, names


def main(argv=None):
    args, names = parse_args(sys.argv[1:] if argv is None else argv)
    cores = os.cpu_count() or 0
    results = {'run': {
        'command': 'python -m bench ' + ' '.join(sys.argv[1:] if argv is None else argv),
        'size': args.size, 'cores': cores, 'machine': machine_description(),
        'started': datetime.datetime.now(datetime.timezone.utc).strftime(
            '%Y-%m-%d %H:%M UTC'),
        'load_before': report.machine_load()}, 'modules': []}
    print('bench: %s, size %s, modules %s' % (results['run']['machine'], args.size,
                                              ', '.join(names)), flush=True)
    for name in names:
        print('\n== %s ...' % name, flush=True)
        entry = run_module(name, args.size)
        results['modules'].append(entry)
        print('\n'.join(report.terminal_lines(entry, cores)), flush=True)
        # Written after every module: a long run stopped half-way keeps what it measured.
        results['run']['load_after'] = report.machine_load()
        report.write(results, args.out)
    failed = [entry['name'] for entry in results['modules'] if entry['status'] == 'failed']
    print('\nreport: %s' % os.path.join(args.out, 'report.md'))
    if failed:
        print('failed modules: %s' % ', '.join(failed))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
