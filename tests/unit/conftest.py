import pytest

from heat_lbaas.resources import octavia_object


@pytest.fixture
def clock(monkeypatch):
    """The operation loop's clock, stopped at 1000.0 (tests move it), and no jitter."""
    now = [1000.0]
    monkeypatch.setattr(octavia_object.time, 'monotonic', lambda: now[0])
    monkeypatch.setattr(octavia_object.random, 'random', lambda: 0.0)
    return now
