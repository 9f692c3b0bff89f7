import pytest

from tests.support import devcloud as devcloud_support


@pytest.fixture(scope='session')
def devcloud(tmp_path_factory):
    """One devcloud for the whole test session (it takes a few seconds to start)."""
    cloud = devcloud_support.Devcloud(tmp_path_factory.mktemp('devcloud'))
    try:
        cloud.up()
        yield cloud
    finally:
        cloud.down()
