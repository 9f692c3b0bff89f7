"""A real controller for a benchmark (tests/support/controller.py's), with the
controller's own default health interval instead of the tests' faster 0.3 s: the
figures are what a user's controller does."""
from heat_lbaas.controller import config
from tests.support import controller as controller_support

HEALTH_INTERVAL = next(opt.default for opt in config.CONTROLLER_OPTS
                       if opt.name == 'health_interval')


def controller(state_dir, **kwargs):
    # A later [controller] section overrides the earlier one's value (oslo.config).
    return controller_support.RunningController(
        state_dir, extra_config='[controller]\nhealth_interval = %s\n' % HEALTH_INTERVAL,
        **kwargs)
