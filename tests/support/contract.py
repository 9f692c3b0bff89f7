"""Compare our API's answers with the ones recorded from real Octavia
(tests/fixtures/octavia-v2-samples, copied from shared/reference; see its README): same keys
at every level, same JSON types,
same values (but for the clock and health) once the recorded ids are replaced by
ours."""
import json
import os

SAMPLES_DIR = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'octavia-v2-samples')
# Keys whose value may be null on one side and set on the other, because the two runs
# genuinely differ there (Octavia's no-op worker and ours finish at other moments).
MAY_BE_NULL = {'updated_at'}
# Keys whose values differ between the runs for a reason: the clock, and health
# (Octavia's no-op drivers report no health; ours runs real HAProxy checks). Every
# other value must be the recorded one, once recorded ids are replaced by ours.
VALUES_MAY_DIFFER = {'created_at', 'updated_at', 'operating_status'}


def samples_dir():
    return os.path.normpath(os.environ.get('OCTAVIA_SAMPLES_DIR', SAMPLES_DIR))


def load(name):
    with open(os.path.join(samples_dir(), name + '.json')) as sample:
        return json.load(sample)


def sample_names():
    return sorted(f[:-5] for f in os.listdir(samples_dir())
                  if f.endswith('.json') and f != 'log.json')


def substitute(value, ids):
    """`value` (any JSON) with each recorded id replaced by ours."""
    text = json.dumps(value)
    for recorded, ours in ids.items():
        text = text.replace(recorded, ours)
    return json.loads(text)


def _kind(value):
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'boolean'
    if isinstance(value, int):
        return 'integer'
    return type(value).__name__


def differences(recorded, ours, path='$'):
    """Human-readable list of where `ours` departs from `recorded` in shape."""
    key = path.rsplit('.', 1)[-1]
    if _kind(recorded) != _kind(ours):
        if key in MAY_BE_NULL and None in (recorded, ours):
            return []
        return ['%s: Octavia has %s %r, we have %s %r'
                % (path, _kind(recorded), recorded, _kind(ours), ours)]
    if isinstance(recorded, dict):
        found = []
        for name in sorted(set(recorded) - set(ours)):
            found.append('%s: key %r missing' % (path, name))
        for name in sorted(set(ours) - set(recorded)):
            found.append('%s: key %r not in Octavia\'s answer' % (path, name))
        for name in sorted(set(recorded) & set(ours)):
            found += differences(recorded[name], ours[name], '%s.%s' % (path, name))
        return found
    if isinstance(recorded, list):
        if len(recorded) != len(ours):
            return ['%s: Octavia has %d items, we have %d'
                    % (path, len(recorded), len(ours))]
        found = []
        for index, (theirs, mine) in enumerate(zip(recorded, ours)):
            found += differences(theirs, mine, '%s[%d]' % (path, index))
        return found
    if recorded != ours and key not in VALUES_MAY_DIFFER:
        return ['%s: Octavia has %r, we have %r' % (path, recorded, ours)]
    return []
