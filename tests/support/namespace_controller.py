"""A controller of a test's own with amphora_network = namespace, in a short state
directory: started on entering, stopped on leaving, and then nothing of it may be
left (no HAProxy of its amphorae, no namespace or link it made)."""
import os
import shutil

from tests.support import controller as controller_support
from tests.support import namespaces
from tests.support import octavia_api
from tests.support import processes


class NamespaceController:
    """Subclasses stop their own members in stop_members()."""

    def __init__(self, extra_config=''):
        self.directory = controller_support.short_state_dir()
        self.names = namespaces.Names()
        self.running = controller_support.RunningController(
            os.path.join(self.directory, 'state'), namespaces=self.names,
            extra_config=extra_config)
        self.api = octavia_api.OctaviaApi(self.running.url)

    def __enter__(self):
        self.running.start()
        return self

    def stop_members(self):
        """Stop the members the test started (before the controller stops)."""

    def __exit__(self, *exc):
        try:
            self.stop_members()
            # The command itself, as an operator runs it, removes the namespaces.
            self.running.stop(by_command=True)
        finally:
            leftovers = self.names.leftovers()
            haproxies = processes.with_argument_containing(
                self.running.state_dir + '/amphorae/')
            shutil.rmtree(self.directory, ignore_errors=True)
        assert haproxies == [], 'HAProxy left running after heat-lbaas-amphorae stop'
        assert leftovers == [], 'namespaces or links left: %s' % leftovers

    def namespace_of(self, lb_id):
        """The name of the namespace of load balancer `lb_id`'s amphora."""
        return '%s-%s' % (self.names.prefix, lb_id[:8])
