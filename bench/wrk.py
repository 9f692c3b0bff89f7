"""Runs wrk (apt `wrk`) against a URL and reads its summary: requests/s, the latency
percentiles of `--latency` and the errors it counted."""
import re
import shutil
import subprocess

_UNITS = {'us': 1e-6, 'ms': 1e-3, 's': 1.0, 'm': 60.0, 'h': 3600.0}
_PERCENTILE = re.compile(r'^\s*(\d+(?:\.\d+)?)%\s+([\d.]+)(us|ms|s|m|h)\s*$')
_RATE = re.compile(r'^Requests/sec:\s+([\d.]+)', re.MULTILINE)
_SOCKET_ERRORS = re.compile(
    r'Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)')
_NON_2XX = re.compile(r'Non-2xx or 3xx responses: (\d+)')
_REQUESTS = re.compile(r'^\s*(\d+) requests in', re.MULTILINE)


def binary():
    found = shutil.which('wrk')
    if not found:
        raise RuntimeError('wrk is not installed (make system-deps installs it)')
    return found


def parse(output):
    """{'rps', 'p50', 'p75', 'p90', 'p99' (seconds), 'requests', 'errors'} of wrk's
    output; socket errors and non-2xx/3xx answers both count as errors."""
    rate = _RATE.search(output)
    if rate is None:
        raise ValueError('no Requests/sec in wrk output:\n%s' % output)
    parsed = {'rps': float(rate.group(1))}
    for line in output.splitlines():
        match = _PERCENTILE.match(line)
        if match:
            key = 'p%d' % round(float(match.group(1)))
            parsed[key] = float(match.group(2)) * _UNITS[match.group(3)]
    requests = _REQUESTS.search(output)
    parsed['requests'] = int(requests.group(1)) if requests else 0
    errors = 0
    socket_errors = _SOCKET_ERRORS.search(output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    non_2xx = _NON_2XX.search(output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    parsed['errors'] = errors
    return parsed


def run(url, connections, seconds, threads=None):
    """One wrk run: `connections` kept-alive connections for `seconds`."""
    threads = threads or min(connections, 2)
    completed = subprocess.run(
        [binary(), '-t%d' % threads, '-c%d' % connections, '-d%ds' % seconds,
         '--latency', url],
        capture_output=True, text=True, timeout=seconds + 60, check=True)
    return parse(completed.stdout)


# What a plot of wrk summaries can show: the key in a summary, its label, its scale.
PLOTTED = {'rps': ('requests/s (wrk, kept-alive)', 'req/s', 1.0),
           'p50': ('p50 latency', 'ms', 1000.0),
           'p99': ('p99 latency', 'ms', 1000.0)}


def series(subject, plot_prefix, targets, connections, summaries, keys):
    """Plots (the bench contract's `series`) of `keys` against connections, a line
    per target; summaries: {(target, connections): parse()'s summary}."""
    plots = []
    for key in keys:
        title, unit, scale = PLOTTED[key]
        plots.append({
            'plot': '%s_%s' % (plot_prefix, key), 'title': '%s: %s' % (subject, title),
            'x_label': 'connections', 'y_label': unit,
            'lines': [{'label': target, 'x': connections,
                       'y': [summaries[(target, c)][key] * scale for c in connections]}
                      for target in targets]})
    return plots
