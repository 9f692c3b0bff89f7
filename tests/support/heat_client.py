"""Stacks through python-heatclient in the test process: the requests `openstack stack
...` sends (the same template, environment and parameter fields, built by heatclient's
template_utils, rollback disabled as the CLI's default), and `--wait` as the CLI does it:
following the stack's events from a marker until the stack's own event ends the action,
but at a short interval and without a process per call."""
import time

from heatclient import exc
from heatclient.common import template_utils

WAIT_SECONDS = 600
# Events are polled from a marker (each poll returns only what is new), first often so a
# short action is seen ending at once, then less often for a long one.
FIRST_POLL_SECONDS = 0.1
LONGEST_POLL_SECONDS = 0.5


class HeatClient:
    def __init__(self, client):
        self.client = client

    # --- what `openstack stack create|update|check|delete --wait` does ------------------

    def create(self, name, template, environments=(), parameters=None, wait=True,
               check=True, timeout=WAIT_SECONDS):
        """Create a stack of a template (a path, or a dict of the template itself);
        with wait, (status, reason) once the create ended, asserted CREATE_COMPLETE
        with check (without wait: the marker for wait_for)."""
        fields = self._fields(template, environments, parameters)
        created = self.client.stacks.create(stack_name=name, disable_rollback=True,
                                            **fields)['stack']
        if wait:
            return self.wait_for('%s/%s' % (name, created['id']), 'CREATE', None, check,
                                 timeout)
        return None

    def update(self, name, template=None, environments=(), parameters=None,
               existing=True, converge=False, wait=True, check=True,
               timeout=WAIT_SECONDS):
        """Update a stack (by default as `--existing`: the template, environment and
        parameters not given are kept); see create."""
        identity = self.identity(name)
        marker = self.last_event(identity)
        fields = self._fields(template, environments, parameters, existing=existing)
        if converge:
            fields['converge'] = True
        self.client.stacks.update(identity, existing=existing, **fields)
        if wait:
            return self.wait_for(identity, 'UPDATE', marker, check, timeout)
        return marker

    def check(self, name, check=True, timeout=WAIT_SECONDS):
        identity = self.identity(name)
        marker = self.last_event(identity)
        self.client.actions.check(identity)
        return self.wait_for(identity, 'CHECK', marker, check, timeout)

    def delete(self, name, check=True, timeout=WAIT_SECONDS):
        """Delete a stack and wait until it is gone; without check a stack that is not
        there (or fails to delete) is no error."""
        try:
            identity = self.identity(name)
            marker = self.last_event(identity)
            # A stack just deleted can still be looked up by name for a moment.
            self.client.stacks.delete(identity)
        except exc.HTTPNotFound:
            if check:
                raise
            return None
        return self.wait_for(identity, 'DELETE', marker, check, timeout)

    def preview(self, name, template, environments=(), parameters=None):
        """`stack create --dry-run`: every property and nested template validated,
        nothing created; raises heatclient.exc.HTTPException if Heat refuses."""
        return self.client.stacks.preview(
            stack_name=name, disable_rollback=True,
            **self._fields(template, environments, parameters)).to_dict()

    def validate(self, template, environments=(), show_nested=True):
        """`orchestration template validate [--show-nested]`; raises
        heatclient.exc.HTTPException if Heat refuses."""
        fields = self._fields(template, environments, None)
        if show_nested:
            fields['show_nested'] = True
        return self.client.stacks.validate(**fields)

    # --- what `openstack stack show|output show|resource ...` shows --------------------

    def identity(self, name):
        """'<name>/<id>': the path Heat finds a stack by without a redirect, deleted
        or not."""
        stack = self.client.stacks.get(name, resolve_outputs=False)
        return '%s/%s' % (stack.stack_name, stack.id)

    def status(self, name):
        """(stack_status, stack_status_reason)."""
        stack = self.client.stacks.get(name, resolve_outputs=False)
        return stack.stack_status, stack.stack_status_reason

    def output(self, name, key):
        """An output's value; an output Heat could not resolve fails, with Heat's
        reason."""
        output = self.client.stacks.output_show(name, key)['output']
        assert 'output_error' not in output, 'stack %s output %s: %s' % (
            name, key, output['output_error'])
        return output['output_value']

    def resources(self, name):
        return [resource.to_dict() for resource in self.client.resources.list(name)]

    def resource(self, name, resource_name):
        return self.client.resources.get(name, resource_name).to_dict()

    def environment(self, name):
        return self.client.stacks.environment(name)

    # --- internals ----------------------------------------------------------------------

    def _fields(self, template, environments, parameters, existing=False):
        if isinstance(template, dict):
            files, body = {}, template
        else:
            files, body = template_utils.process_template_path(
                None if template is None else str(template), existing=existing)
        environment_files = []
        env_files, environment = template_utils.process_multiple_environments_and_files(
            env_paths=[str(path) for path in environments] or None,
            env_list_tracker=environment_files)
        fields = {'parameters': dict(parameters or {}), 'template': body,
                  'files': {**files, **env_files}, 'environment': environment}
        if environment_files:
            fields['environment_files'] = environment_files
        return fields

    def last_event(self, name):
        """The id of the stack's latest event (None if it has none): the marker the
        events of what is done next follow."""
        events = self.client.events.list(name, sort_dir='desc', limit=1)
        return events[0].id if events else None

    def wait_for(self, name, action, marker, check=True, timeout=WAIT_SECONDS):
        """(status, reason) of the stack's event that ends `action` (the first after
        marker); asserted <action>_COMPLETE with check."""
        identity = name if '/' in name else self.identity(name)
        stack_name, stack_id = identity.split('/')
        ends = ('%s_COMPLETE' % action, '%s_FAILED' % action)
        deadline = time.monotonic() + timeout
        pause = FIRST_POLL_SECONDS
        while True:
            for event in self.client.events.list(identity, sort_dir='asc', marker=marker):
                marker = event.id
                if (event.resource_name == stack_name
                        and event.physical_resource_id == stack_id
                        and event.resource_status in ends):
                    ended = (event.resource_status, event.resource_status_reason)
                    if check:
                        assert ended[0] == ends[0], 'stack %s: %s %s' % (
                            stack_name, *ended)
                    return ended
            assert time.monotonic() < deadline, 'stack %s: %s not ended after %s s (%s)' % (
                stack_name, action, timeout, self.status(identity))
            time.sleep(pause)
            pause = min(pause * 1.5, LONGEST_POLL_SECONDS)
