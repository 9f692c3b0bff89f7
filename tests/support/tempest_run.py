"""`tempest run` of one suite as `make tempest` / `make tempest-octavia` run it
(scripts/tempest.sh: a devcloud with Keystone in a temporary directory, tempest.conf,
`tempest run`, down), read back as totals and a failure summary."""
import pathlib
import re
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]


def run_suite(suite, tempest, regex=None):
    """(exit status, {'Passed'|'Failed'|'Skipped': count}, output) of one run."""
    command = [str(ROOT / 'scripts' / 'tempest.sh'), suite, str(tempest)]
    ran = subprocess.run(command + ([regex] if regex else []), cwd=ROOT,
                         capture_output=True, text=True, timeout=2400)
    output = ran.stdout + ran.stderr
    print(output[-16000:])   # the end: totals, tempest.log, the services' refusals
    totals = {key: int(value) for key, value in
              re.findall(r'^ - (Passed|Failed|Skipped): (\d+)$', output, re.M)}
    return ran.returncode, totals, output


def summary(output):
    """Each test's result line, then the failures' tracebacks (tempest run prints them
    after `Failed N tests - output below`), for the assertion message."""
    results = re.findall(r'^\{\d+\} .* \.\.\. (?:ok|FAILED|SKIPPED.*)$', output, re.M)
    failures = output.partition('tests - output below:')[2][:8000]
    return '\n'.join(results) + '\n' + failures
