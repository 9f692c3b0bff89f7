"""Base of the devcloud types backed by a local process (LBaaS::Dev::WebServer,
LBaaS::Dev::LoadAlarm): the process is started detached on create, the create completes
once the program has written its ready file, and delete stops it by PID (SIGTERM, then
SIGKILL after a grace time). The files and signals are heat_lbaas.devcloud.child_process's.
"""
import signal
import time
import uuid

from heat.common import exception
from heat.common.i18n import _
from heat.engine import resource

from heat_lbaas.devcloud import child_process


class DevProcessResource(resource.Resource):
    """A resource whose physical object is a devcloud process (resource_id = process id)."""

    # The program's module (python -m MODULE): how its processes are recognised.
    MODULE = None
    # After SIGTERM, how long the process gets to exit before SIGKILL.
    STOP_GRACE_SECONDS = 5.0
    # A process is ready well within a second of its start: each check looks for its
    # ready file this often, for up to READY_WAIT_SECONDS, so the resource completes as
    # soon as the process is ready instead of at the next Heat poll (0.1 s later on the
    # devcloud, up to 1 s at stock Heat's pace), which a scale-up waits for.
    READY_LOOK_SECONDS = 0.01
    READY_WAIT_SECONDS = 0.5

    def _state_dir(self):
        """Directory of the processes' files (read at each call: the devcloud sets
        HEAT_LBAAS_DEVCLOUD_DIR for the engine)."""
        raise NotImplementedError

    def _spawn(self, process_id, state_dir):
        """Start the program for process_id."""
        raise NotImplementedError

    def _ready(self, ready):
        """Called once with the ready file's content when the create completes."""

    def handle_create(self):
        process_id = str(uuid.uuid4())
        # Set before the process starts, so a delete after a failed create still stops it.
        self.resource_id_set(process_id)
        self._spawn(process_id, self._state_dir())
        return process_id

    def check_create_complete(self, process_id):
        deadline = time.monotonic() + self.READY_WAIT_SECONDS
        while not self._is_ready(process_id):
            if time.monotonic() >= deadline:
                return False
            time.sleep(self.READY_LOOK_SECONDS)
        return True

    def _is_ready(self, process_id):
        state_dir = self._state_dir()
        ready = child_process.read_ready(state_dir, process_id)
        if ready is not None:
            self._ready(ready)
            return True
        pid = child_process.read_pid(state_dir, process_id)
        if pid is not None and not child_process.is_running(pid, self.MODULE, process_id):
            raise exception.Error(_('%(what)s process %(pid)s exited before it was ready: '
                                    '%(log)s') % {
                'what': self.type(), 'pid': pid,
                'log': child_process.read_log_tail(state_dir, process_id)})
        return False

    def handle_delete(self):
        if self.resource_id is None:
            return None
        pid = child_process.read_pid(self._state_dir(), self.resource_id)
        child_process.send_signal(pid, self.MODULE, self.resource_id, signal.SIGTERM)
        return {'pid': pid, 'kill_after': time.monotonic() + self.STOP_GRACE_SECONDS}

    def check_delete_complete(self, stopping):
        if stopping is None:
            return True
        pid = stopping['pid']
        if child_process.is_running(pid, self.MODULE, self.resource_id):
            if time.monotonic() >= stopping['kill_after']:
                child_process.send_signal(pid, self.MODULE, self.resource_id,
                                          signal.SIGKILL)
            return False
        child_process.remove_files(self._state_dir(), self.resource_id)
        return True

    def get_reference_id(self):
        return self.resource_id
