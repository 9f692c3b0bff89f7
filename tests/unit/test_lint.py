"""ruff over every Python source of the repository, with the rules in pyproject.toml
(as `make lint` runs it): a finding fails make test."""
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]
RUFF = pathlib.Path(sys.executable).parent / 'ruff'


def test_ruff_finds_nothing():
    result = subprocess.run([str(RUFF), 'check', '--no-cache', '--output-format', 'concise'],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'All checks passed' in result.stdout
