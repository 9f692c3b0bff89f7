import pytest

from tests.support import devcloud as devcloud_support
from tests.support import stacks as stacks_support

# Files of a few tests that take minutes each (a devcloud with Keystone, Tempest,
# upstream Octavia of their own), longest first. Collected first so that xdist
# (--dist loadfile --no-loadscope-reorder hands out files in collection order) starts
# them at once, next to the many short files, instead of leaving them to run alone
# at the end.
LONG_RUNNING_FILES = ('tests/tempest/test_scenario_suite.py', 'tests/tempest/',
                      'tests/e2e/test_active_standby_web.py', 'tests/upstream/',
                      'tests/e2e/test_devcloud_keystone.py',
                      'tests/e2e/test_bench_devcloud_smoke.py')


def _start_rank(item):
    starts = [rank for rank, prefix in enumerate(LONG_RUNNING_FILES)
              if item.nodeid.startswith(prefix)]
    return starts[0] if starts else len(LONG_RUNNING_FILES)


def pytest_collection_modifyitems(items):
    items.sort(key=_start_rank)   # stable: each file's tests keep their order


@pytest.fixture(scope='session')
def devcloud(tmp_path_factory):
    """One devcloud for the whole test session (it takes a few seconds to start)."""
    cloud = devcloud_support.Devcloud(tmp_path_factory.mktemp('devcloud'))
    try:
        cloud.up()
        yield cloud
    finally:
        cloud.down()


@pytest.fixture
def stacks(devcloud):
    """Stacks a test creates on the devcloud; whatever is left is deleted after it."""
    made = stacks_support.Stacks(devcloud)
    yield made
    made.delete_all()


def pytest_terminal_summary(terminalreporter):
    """The requests and 409s per stack the tests recorded (tests/upstream), printed
    once at the end of the run, whichever xdist worker ran them."""
    texts = [value for reports in terminalreporter.stats.values() for report in reports
             for name, value in getattr(report, 'user_properties', ())
             if name == 'requests_and_409s']
    if texts:
        terminalreporter.section('requests and 409s per stack')
        for text in dict.fromkeys(texts):
            terminalreporter.write_line(text)
