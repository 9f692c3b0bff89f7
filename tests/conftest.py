import pytest

from tests.support import devcloud as devcloud_support
from tests.support import stacks as stacks_support


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
