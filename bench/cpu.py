"""CPU time of processes (all their threads), from /proc: a cost per request that the
load of a shared machine hardly changes, unlike requests/s."""
import os


def process_cpu_seconds(pid):
    """Seconds on CPU of every thread of `pid` (schedstat: nanoseconds), 0 if gone."""
    total = 0
    try:
        tasks = os.listdir('/proc/%d/task' % pid)
    except OSError:
        return 0.0
    for task in tasks:
        try:
            with open('/proc/%d/task/%s/schedstat' % (pid, task)) as schedstat:
                total += int(schedstat.read().split()[0])
        except (OSError, IndexError, ValueError):
            continue
    return total / 1e9


def cpu_seconds(pids):
    return sum(process_cpu_seconds(pid) for pid in pids)


def named(pids, name):
    """Those of `pids` whose command name (/proc/PID/comm) is `name`."""
    found = []
    for pid in pids:
        try:
            with open('/proc/%d/comm' % pid) as comm:
                if comm.read().strip() == name:
                    found.append(pid)
        except OSError:
            continue
    return found
