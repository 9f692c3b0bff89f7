"""What `python -m bench` writes: each figure next to its target on the terminal,
DIR/results.json (everything), DIR/report.md (a table per module) and DIR/<plot>.png
(one per series, matplotlib's Agg backend: no display needed).

A module's result follows the bench module contract (bench/__main__.py): a title, a
section of issue 13, figures (name, value, unit, target, met, ratio, peer, note) and
series (plots). The functions here are pure apart from write() and plot().
"""
import json
import math
import os


def machine_load():
    """The 1, 5 and 15 minute load averages, rounded for reading."""
    return [round(value, 2) for value in os.getloadavg()]


def format_value(value, unit=''):
    if value is None:
        return 'n/a'
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    magnitude = abs(value)
    if isinstance(value, int) or magnitude >= 1000:
        text = '{:,.0f}'.format(value)
    elif magnitude >= 100:
        text = '%.1f' % value
    elif magnitude >= 1:
        text = '%.2f' % value
    else:
        text = '%.3g' % value
    return ('%s %s' % (text, unit)).strip()


def verdict(met):
    return {True: 'met', False: 'MISSED', None: '-'}[met]


def figure_line(figure):
    """One terminal line: the figure, its target and whether it met it."""
    text = '  %-52s %16s' % (figure['name'], format_value(figure.get('value'),
                                                           figure.get('unit', '')))
    if figure.get('ratio') is not None:
        text += '  (%.3fx %s)' % (figure['ratio'], figure.get('peer') or 'peer')
    if figure.get('target'):
        text += '  target: %s [%s]' % (figure['target'], verdict(figure.get('met')))
    if figure.get('note'):
        text += '  - %s' % figure['note']
    return text


def load_text(load):
    return '/'.join('%.2f' % value for value in load) if load else '?'


def module_header(entry, cores):
    return '%s (§%s, bench/%s.py): %s in %.1f s; %d cores, load %s before, %s after' % (
        entry.get('title') or entry['name'], entry.get('section') or '?', entry['name'],
        entry['status'], entry.get('seconds', 0.0), cores,
        load_text(entry.get('load_before')), load_text(entry.get('load_after')))


def terminal_lines(entry, cores):
    lines = [module_header(entry, cores)]
    if entry['status'] == 'failed':
        last = (entry.get('error') or '?').strip().splitlines()[-1:] or ['?']
        lines.append('  FAILED: %s' % last[0])
    lines.extend(figure_line(figure) for figure in entry.get('figures', []))
    return lines


def _cell(text):
    return str(text).replace('|', '\\|').replace('\n', ' ')


def markdown(results, plot_files=None):
    """The report as Markdown: the run, then per module a table of its figures (with
    ratio, peer, target and verdict) and its plots. `plot_files`: plot name -> file
    name, for the plots that were drawn."""
    plot_files = plot_files or {}
    run = results['run']
    lines = [
        '# heat-lbaas benchmarks',
        '',
        'Command: `%s`  ' % run['command'],
        'Size: %s; started %s; %d cores; load average (1/5/15 min) %s at the start, '
        '%s at the end.  ' % (run['size'], run['started'], run['cores'],
                              load_text(run.get('load_before')),
                              load_text(run.get('load_after'))),
        'Machine: %s' % run.get('machine', '?'),
        '',
    ]
    for entry in results['modules']:
        lines.append('## %s (§%s)' % (entry.get('title') or entry['name'],
                                      entry.get('section') or '?'))
        lines.append('')
        lines.append('`bench/%s.py`: %s in %.1f s; load %s before, %s after.' % (
            entry['name'], entry['status'], entry.get('seconds', 0.0),
            load_text(entry.get('load_before')), load_text(entry.get('load_after'))))
        lines.append('')
        if entry['status'] == 'failed':
            lines.append('**Failed**:')
            lines.append('')
            lines.append('```')
            lines.extend(entry.get('error', '').rstrip().splitlines()[-15:])
            lines.append('```')
            lines.append('')
        figures = entry.get('figures', [])
        if figures:
            lines.append('| Figure | Value | Ratio | Peer | Target | Verdict | Note |')
            lines.append('|---|---:|---:|---|---|---|---|')
            for figure in figures:
                ratio = figure.get('ratio')
                lines.append('| %s |' % ' | '.join(_cell(cell) for cell in (
                    figure['name'], format_value(figure.get('value'), figure.get('unit', '')),
                    '' if ratio is None else '%.3f' % ratio, figure.get('peer') or '',
                    figure.get('target') or '', verdict(figure.get('met')),
                    figure.get('note') or '')))
            lines.append('')
        for text in entry.get('notes', []):
            lines.append(text)
            lines.append('')
        for label, text in sorted((entry.get('configs') or {}).items()):
            lines.extend(['%s:' % label, '', '```', (text or '(not found)').rstrip(), '```',
                          ''])
        for series in entry.get('series', []):
            if series['plot'] in plot_files:
                lines.append('![%s](%s)' % (series.get('title', series['plot']),
                                            plot_files[series['plot']]))
                lines.append('')
    return '\n'.join(lines).rstrip() + '\n'


def plot(series, path):
    """One PNG: each line of the series against its x values."""
    import matplotlib
    matplotlib.use('Agg')
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(7, 4.2), dpi=100)
    try:
        for line in series['lines']:
            axes.plot(line['x'], line['y'], marker='o', label=line['label'])
        axes.set_title(series.get('title', series['plot']))
        axes.set_xlabel(series.get('x_label', ''))
        axes.set_ylabel(series.get('y_label', ''))
        if series.get('x_log'):
            axes.set_xscale('log')
        axes.grid(True, alpha=0.3)
        if len(series['lines']) > 1:
            axes.legend()
        figure.tight_layout()
        figure.savefig(path)
    finally:
        pyplot.close(figure)


def write(results, out_dir):
    """results.json, the plots and report.md in out_dir; returns the plot files."""
    os.makedirs(out_dir, exist_ok=True)
    plot_files = {}
    for entry in results['modules']:
        for series in entry.get('series', []):
            name = '%s.png' % series['plot']
            try:
                plot(series, os.path.join(out_dir, name))
            except Exception as error:  # a bad series must not lose the report
                entry.setdefault('notes', []).append(
                    'plot %s could not be drawn: %s' % (series['plot'], error))
            else:
                plot_files[series['plot']] = name
    with open(os.path.join(out_dir, 'results.json'), 'w') as out:
        json.dump(results, out, indent=1, sort_keys=True)
        out.write('\n')
    with open(os.path.join(out_dir, 'report.md'), 'w') as out:
        out.write(markdown(results, plot_files))
    return plot_files
