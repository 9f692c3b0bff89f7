"""Tell at once when an HAProxy master exits, instead of at the next health poll.

Every amphora's master is watched through a pidfd (Linux 5.3+), which works for
processes the controller adopted as well as for its own children: the fd turns
readable when the process exits. One thread polls them all; a master that exits
while it is still watched (nobody stopped it on purpose) is reported through
`on_exit(lb_id)`, so a failover starts within milliseconds and fewer client
connections are refused while the load balancer has no HAProxy.
"""
import logging
import os
import select
import threading

LOG = logging.getLogger(__name__)


class DeathWatch:
    def __init__(self, on_exit):
        self._on_exit = on_exit
        self._lock = threading.Lock()
        self._watched = {}          # pidfd -> (lb_id, pid)
        self._by_lb = {}            # lb_id -> pidfd
        # Only the watching thread closes pidfds, between two polls, so a number the
        # kernel hands out again can never be mistaken for one it still polls.
        self._to_close = []
        self._wake_read, self._wake_write = os.pipe()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, daemon=True, name='death-watch')
        self._thread.start()

    def watch(self, lb_id, pid):
        """Watch `pid` as the master of `lb_id` (replacing what was watched for it)."""
        try:
            pidfd = os.pidfd_open(pid)
        except ProcessLookupError:
            self.forget(lb_id)
            self._report(lb_id, pid)     # exited before it could be watched
            return
        with self._lock:
            self._forget_locked(lb_id)
            self._watched[pidfd] = (lb_id, pid)
            self._by_lb[lb_id] = pidfd
        self._wake()

    def forget(self, lb_id):
        """Stop watching `lb_id`: its master is being stopped on purpose."""
        with self._lock:
            self._forget_locked(lb_id)
        self._wake()

    def _forget_locked(self, lb_id):
        pidfd = self._by_lb.pop(lb_id, None)
        if pidfd is not None:
            del self._watched[pidfd]
            self._to_close.append(pidfd)

    def _wake(self):
        os.write(self._wake_write, b'.')

    def _run(self):
        while True:
            poll = select.poll()
            with self._lock:
                if self._stopping:
                    return
                while self._to_close:
                    os.close(self._to_close.pop())
                for pidfd in self._watched:
                    poll.register(pidfd, select.POLLIN)
            poll.register(self._wake_read, select.POLLIN)
            exited = []
            events = poll.poll()
            with self._lock:
                for fd, _ in events:
                    if fd == self._wake_read:
                        os.read(self._wake_read, 4096)
                    elif fd in self._watched:
                        lb_id, pid = self._watched[fd]
                        self._forget_locked(lb_id)
                        exited.append((lb_id, pid))
            for lb_id, pid in exited:
                self._report(lb_id, pid)

    def _report(self, lb_id, pid):
        LOG.warning('HAProxy master %s of load balancer %s exited', pid, lb_id)
        try:
            self._on_exit(lb_id)
        except Exception:
            LOG.exception('Handling the exit of the amphora of %s failed', lb_id)

    def stop(self):
        with self._lock:
            self._stopping = True
            for lb_id in list(self._by_lb):
                self._forget_locked(lb_id)
        self._wake()
        self._thread.join(timeout=10)
        for pidfd in self._to_close:
            os.close(pidfd)
        self._to_close = []
        os.close(self._wake_read)
        os.close(self._wake_write)
