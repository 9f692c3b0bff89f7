"""What a benchmark runs on: a real controller (tests/support/controller.py's) with the
controller's own default health interval instead of the tests' faster 0.3 s (the
figures are what a user's controller does), or a devcloud of its own."""
import contextlib
import shutil
import tempfile

from heat_lbaas.controller import config
from tests.support import controller as controller_support
from tests.support import devcloud as devcloud_support

HEALTH_INTERVAL = next(opt.default for opt in config.CONTROLLER_OPTS
                       if opt.name == 'health_interval')


def controller(state_dir, **kwargs):
    # A later [controller] section overrides the earlier one's value (oslo.config).
    return controller_support.RunningController(
        state_dir, extra_config='[controller]\nhealth_interval = %s\n' % HEALTH_INTERVAL,
        **kwargs)


@contextlib.contextmanager
def devcloud(prefix, keep_logs=None):
    """A devcloud in a temporary state directory (not up yet: the caller's options),
    downed and removed afterwards; its logs copied to `keep_logs` first if given."""
    state_dir = tempfile.mkdtemp(prefix=prefix)
    cloud = devcloud_support.Devcloud(state_dir)
    try:
        yield cloud
    finally:
        cloud.down()
        if keep_logs:
            shutil.copytree(cloud.state_dir / 'logs', keep_logs, dirs_exist_ok=True)
        shutil.rmtree(state_dir, ignore_errors=True)
