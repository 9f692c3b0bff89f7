"""Detached devcloud processes that Heat resources start (web servers, load alarms).

Each process is a Python module run as `python -m <module> --id-option <process id> ...`
and has files in a state directory of its kind:
  <id>.pid    the PID, written first by the program (what `heat-lbaas-devcloud down` stops)
  <id>.ready  JSON written by the program once it runs (what the resource waits for)
  <id>.log    stdout/stderr of the process
  <id>.restart  JSON {"module", "arguments"}: how to start it again, written by the
              program once it runs; it outlives the process (a crash, `heat-lbaas-devcloud
              down`, a reboot) and goes only with the resource (remove_files), so
              `heat-lbaas-devcloud up` restarts exactly the processes of live resources
A process is recognised by its command line (module and id), never by name alone, so a
reused PID is never signalled.
"""
import json
import os
import signal
import subprocess
import sys
import time

STATE_DIR_VARIABLE = 'HEAT_LBAAS_DEVCLOUD_DIR'


def default_state_dir(kind):
    """Directory of one kind of process's files (`webservers`, `alarms`) when none is
    given: in the devcloud's state directory (the devcloud sets $HEAT_LBAAS_DEVCLOUD_DIR
    for the Heat engine), else under $XDG_STATE_HOME (~/.local/state)."""
    devcloud_dir = os.environ.get(STATE_DIR_VARIABLE)
    if devcloud_dir:
        return os.path.join(devcloud_dir, kind)
    state_home = os.environ.get('XDG_STATE_HOME') or os.path.expanduser('~/.local/state')
    return os.path.join(state_home, 'heat-lbaas-devcloud', kind)


def pid_file(state_dir, process_id):
    return os.path.join(state_dir, '%s.pid' % process_id)


def ready_file(state_dir, process_id):
    return os.path.join(state_dir, '%s.ready' % process_id)


def log_file(state_dir, process_id):
    return os.path.join(state_dir, '%s.log' % process_id)


def restart_file(state_dir, process_id):
    return os.path.join(state_dir, '%s.restart' % process_id)


def write_atomically(path, text):
    # Readers poll for these files: they must never see a half-written one.
    temporary = '%s.tmp%d' % (path, os.getpid())
    with open(temporary, 'w') as f:
        f.write(text)
    os.replace(temporary, path)


def read_pid(state_dir, process_id):
    try:
        with open(pid_file(state_dir, process_id)) as f:
            return int(f.read().strip())
    except (FileNotFoundError, ValueError):
        return None


def read_ready(state_dir, process_id):
    """The JSON the program wrote once running, else None."""
    try:
        with open(ready_file(state_dir, process_id)) as f:
            return json.load(f)
    except (FileNotFoundError, ValueError):
        return None


def read_log_tail(state_dir, process_id, limit=2000):
    try:
        with open(log_file(state_dir, process_id), errors='replace') as f:
            return f.read()[-limit:]
    except FileNotFoundError:
        return ''


def remove_run_files(state_dir, process_id):
    """Remove the pid and ready files: what the program does as it exits."""
    for path in (pid_file(state_dir, process_id), ready_file(state_dir, process_id)):
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def remove_files(state_dir, process_id):
    """Remove the pid, ready and restart files (the log stays for post-mortems): the
    process is gone for good (its resource is deleted)."""
    remove_run_files(state_dir, process_id)
    try:
        os.unlink(restart_file(state_dir, process_id))
    except FileNotFoundError:
        pass


def record_restart(state_dir, process_id, module, arguments):
    """Write how to start this process again (called by the program once it runs)."""
    write_atomically(restart_file(state_dir, process_id),
                     json.dumps({'module': module, 'arguments': list(arguments)}))


def restart_stopped(state_dir):
    """Start again every process of `state_dir` that has a restart file and does not
    run; returns {process id: PID} of those started."""
    started = {}
    if not os.path.isdir(state_dir):
        return started
    for name in sorted(os.listdir(state_dir)):
        if not name.endswith('.restart'):
            continue
        process_id = name[:-len('.restart')]
        try:
            with open(os.path.join(state_dir, name)) as f:
                recorded = json.load(f)
        except (FileNotFoundError, ValueError):
            continue
        module = recorded['module']
        if is_running(read_pid(state_dir, process_id), module, process_id):
            continue
        remove_run_files(state_dir, process_id)    # a killed process could not
        started[process_id] = spawn(module, process_id, recorded['arguments'], state_dir)
    return started


def spawn(module, process_id, arguments, state_dir):
    """Start `python -m module *arguments` detached; return its PID.

    Detached: its own session (no signal from the caller's terminal or process group),
    no inherited file descriptors, output to the log file, so it outlives the request
    (or the Heat engine) that started it. `arguments` must contain process_id.
    """
    os.makedirs(state_dir, exist_ok=True)
    with open(log_file(state_dir, process_id), 'ab') as log:
        process = subprocess.Popen(
            [sys.executable, '-m', module, *arguments], stdin=subprocess.DEVNULL,
            stdout=log, stderr=subprocess.STDOUT, close_fds=True, start_new_session=True,
            cwd='/')
    _wait_for_exec(process, module, process_id)
    return process.pid


def _wait_for_exec(process, module, process_id, timeout=10.0):
    """Return once the child runs the module (or has exited).

    Between fork and exec, /proc/<pid>/cmdline still shows the parent's command, so
    is_running() would call a healthy new process dead; callers may rely on it as
    soon as spawn() returns."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if is_running(process.pid, module, process_id):
            return
        time.sleep(0.005)


def _reap_if_our_child(pid):
    # The starter is the parent: without waiting, a stopped process would stay a zombie
    # (and look alive to kill(pid, 0)) for as long as the starter runs.
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def is_running(pid, module, process_id):
    """Whether `pid` is still `module` for `process_id` (not a zombie or a reused PID)."""
    if pid is None:
        return False
    _reap_if_our_child(pid)
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as f:
            arguments = f.read().split(b'\0')
        with open('/proc/%d/stat' % pid) as f:
            state = f.read().rsplit(')', 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return (state != 'Z' and module.encode() in arguments
            and process_id.encode() in arguments)


def send_signal(pid, module, process_id, signum):
    """Signal the process if `pid` is still it; return whether a signal was sent."""
    if not is_running(pid, module, process_id):
        return False
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        return False
    return True


def stop(module, process_id, state_dir, grace_seconds=5.0):
    """Stop a process by its pid file (SIGTERM, wait, SIGKILL) and remove its files.

    Blocking; returns once the process is gone. Fine when it is already gone.
    """
    pid = read_pid(state_dir, process_id)
    if send_signal(pid, module, process_id, signal.SIGTERM):
        deadline = time.monotonic() + grace_seconds
        while is_running(pid, module, process_id) and time.monotonic() < deadline:
            time.sleep(0.05)
        if send_signal(pid, module, process_id, signal.SIGKILL):
            while is_running(pid, module, process_id):
                time.sleep(0.05)
    remove_files(state_dir, process_id)


def exit_on_sigterm(signum, frame):
    # Leaves the program's main loop through SystemExit, so its finally clause cleans up.
    sys.exit(0)
