"""Which processes are alive, read from /proc (never by process name)."""
import os


def alive(pid):
    try:
        with open('/proc/%d/stat' % pid) as stat:
            return stat.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except (OSError, IndexError):
        return False


def with_argument_containing(text):
    """PIDs of live processes one of whose arguments contains `text`."""
    found = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/cmdline' % entry, 'rb') as cmdline:
                arguments = cmdline.read().split(b'\0')
        except OSError:
            continue
        if any(text.encode() in a for a in arguments) and alive(int(entry)):
            found.append(int(entry))
    return found


def children(pid):
    """PIDs of the live processes whose parent is `pid`."""
    found = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as stat:
                fields = stat.read().rsplit(')', 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != 'Z':
            found.append(int(entry))
    return found
