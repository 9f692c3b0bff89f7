"""The devcloud's Heat on upstream Octavia (tests/support/upstream_octavia.py), or, with
HEAT_LBAAS_TEST_LB_BACKEND=bundled, on the bundled controller: the same tests on both
give the figures of docs/benchmarks.md ("Upstream Octavia")."""
import os

import pytest

from heat_lbaas.devcloud import settings as devcloud_settings
from tests.support import devcloud as devcloud_support
from tests.support import request_counts
from tests.support import upstream_octavia

BACKEND = os.environ.get('HEAT_LBAAS_TEST_LB_BACKEND', 'upstream')


class Backend:
    """The load-balancer API the devcloud's Heat uses, and its request counter."""

    def __init__(self, name, devcloud, counter, octavia=None):
        self.name = name
        self.devcloud = devcloud
        self.counter = counter
        self.octavia = octavia


@pytest.fixture(scope='module')
def backend(tmp_path_factory):
    octavia = None
    cloud = devcloud_support.Devcloud(tmp_path_factory.mktemp('devcloud'))
    try:
        if BACKEND == 'upstream':
            # Heat's requests carry the devcloud's noauth token: its project is theirs.
            octavia = upstream_octavia.UpstreamOctavia(
                tmp_path_factory.mktemp('octavia'),
                token_projects={devcloud_settings.NOAUTH_TOKEN: devcloud_settings.PROJECT_ID})
            octavia.start()
            print('upstream Octavia up in %.1f s' % octavia.start_seconds)
            cloud.up('--load-balancer-endpoint', octavia.endpoint)
            counter = request_counts.RequestCounter(octavia.access_log,
                                                    request_counts.gunicorn_status)
        else:
            cloud.up()
            counter = request_counts.RequestCounter(
                cloud.state_dir / 'logs' / 'controller.log',
                request_counts.controller_status)
        yield Backend(BACKEND, cloud, counter, octavia)
    finally:
        try:
            cloud.down()
        finally:
            if octavia is not None:
                pids = octavia.pids()
                octavia.stop()
                left = [pid for pid in pids if devcloud_support.is_alive(pid)]
                assert not left, 'upstream Octavia processes left: %s' % left
