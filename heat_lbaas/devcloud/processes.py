"""Start detached processes and stop them again, always by PID.

A PID is only trusted after its /proc/<pid>/cmdline shows the expected program:
PIDs get reused, and the devcloud must never signal a process it did not start.
Nothing here ever looks processes up by name.
"""

import os
import pathlib
import signal
import subprocess
import time

STOP_TIMEOUT = 15.0


def start_detached(command, log_file, pid_file, env=None, cwd=None):
    """Run ``command`` in its own session, output appended to ``log_file``.

    Its own session: it outlives the CLI and a Ctrl-C in the terminal does not
    reach it.
    """
    log_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, 'ab') as log:
        # A visible boundary between runs: the log is kept across restarts.
        log.write(b'\n=== heat-lbaas-devcloud: starting %s at %s ===\n' % (
            ' '.join(command).encode(), time.strftime('%Y-%m-%d %H:%M:%S').encode()))
        log.flush()
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, env=env, cwd=cwd,
            start_new_session=True, close_fds=True)
    pid_file.write_text('%d\n' % process.pid)
    wait_for_command_line(process.pid)
    return process.pid


def read_pid(pid_file):
    try:
        return int(pathlib.Path(pid_file).read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def command_line(pid):
    try:
        raw = pathlib.Path('/proc/%d/cmdline' % pid).read_bytes()
    except OSError:
        return None
    return raw.replace(b'\0', b' ').decode(errors='replace').strip()


def wait_for_command_line(pid, timeout=5.0):
    """Wait until /proc/<pid>/cmdline shows the program (or the process is gone).

    Right after the spawn, while the kernel is still setting up the exec,
    /proc/<pid>/cmdline reads empty; a marker check in that window would wrongly
    say "not our process".
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if command_line(pid) or not is_alive(pid):
            return
        time.sleep(0.01)


def is_alive(pid):
    """True for a running process; a zombie counts as gone.

    The CLI exits right after ``up``, so its children are re-parented; if nothing
    reaps them, a stopped one stays a zombie in /proc.
    """
    try:
        stat = pathlib.Path('/proc/%d/stat' % pid).read_text()
    except OSError:
        return False
    state = stat.rsplit(')', 1)[1].split()[0]
    return state not in ('Z', 'X')


def is_ours(pid, marker):
    """The process is alive and its command line contains ``marker``."""
    if not pid:
        return False
    wait_for_command_line(pid, timeout=1.0)
    cmdline = command_line(pid)
    return bool(cmdline) and marker in cmdline and is_alive(pid)


def running_pid(pid_file, marker):
    """PID from ``pid_file`` if that process is alive and is the expected one."""
    pid = read_pid(pid_file)
    return pid if pid and is_ours(pid, marker) else None


def stop_pid(pid, marker, timeout=STOP_TIMEOUT):
    """SIGTERM, wait up to ``timeout``, then SIGKILL. Returns True if it was ours."""
    if not is_ours(pid, marker):
        return False
    _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not is_alive(pid):
            return True
        time.sleep(0.1)
    _signal(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while is_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return True


def stop_by_pid_file(pid_file, marker, timeout=STOP_TIMEOUT):
    """Stop the process a pid file names (if it is ours) and remove the file."""
    pid = read_pid(pid_file)
    stopped = bool(pid) and stop_pid(pid, marker, timeout)
    try:
        pathlib.Path(pid_file).unlink()
    except FileNotFoundError:
        pass
    return pid if stopped else None


def _signal(pid, signum):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def tail(path, lines=40):
    try:
        text = pathlib.Path(path).read_text(errors='replace')
    except OSError:
        return '(no log at %s)' % path
    return '\n'.join(text.splitlines()[-lines:])
