"""Timestamped lines of the devcloud's service logs (Heat, the controller) and the
milestones of a scale step found in them, in order: where the time of a scale-up or a
scale-in goes (bench/scale_latency.py).

Both services log through oslo.log: `2026-11-30 20:16:09.848 <pid> INFO <logger> ...`,
in local time with milliseconds.
"""
import dataclasses
import datetime
import re

LINE = re.compile(r'^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) \d+ [A-Z]+ (.*)$')


def parse_time(text):
    """Seconds since the epoch of an oslo.log timestamp (local time)."""
    return datetime.datetime.strptime(text, '%Y-%m-%d %H:%M:%S.%f').timestamp()


def read_lines(paths, since, until):
    """[(epoch seconds, text)] of the logs' lines within [since, until], in time order."""
    lines = []
    for path in paths:
        try:
            with open(path, errors='replace') as log:
                for line in log:
                    match = LINE.match(line)
                    if match is None:
                        continue
                    at = parse_time(match.group(1))
                    if since <= at <= until:
                        lines.append((at, match.group(2)))
        except FileNotFoundError:
            continue
    lines.sort(key=lambda entry: entry[0])
    return lines


@dataclasses.dataclass(frozen=True)
class Milestone:
    """A step of a scale operation: `name` is reached at the first line, after the
    previous milestone, matching `pattern`."""

    name: str
    pattern: str


def find_milestones(lines, milestones, since):
    """{milestone name: epoch seconds}, each found after the previous one (a milestone
    not found is left out, and the search goes on from the previous one)."""
    found = {}
    at = since
    for milestone in milestones:
        pattern = re.compile(milestone.pattern)
        for when, text in lines:
            if when >= at and pattern.search(text):
                found[milestone.name] = at = when
                break
    return found


def phases(points):
    """[(from name, to name, seconds)] between consecutive (name, epoch seconds) points,
    skipping the points that are missing (None)."""
    present = [(name, at) for name, at in points if at is not None]
    return [(earlier[0], later[0], later[1] - earlier[1])
            for earlier, later in zip(present, present[1:])]
