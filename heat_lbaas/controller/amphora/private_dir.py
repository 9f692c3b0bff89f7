"""A directory only the controller's user can enter (HAProxy's unix sockets).

The master socket of an amphora accepts `reload` and more with no authentication,
and it lives in the shared /tmp (a deep state_dir would exceed the 107-byte socket
path limit). So the directory is created 0700, and one that already exists is used
only if it is a real directory of ours that nobody else can enter: another user could
otherwise have created it first and read or replace the sockets.
"""
import os
import stat


class UnsafeDirectory(Exception):
    pass


def ensure(path):
    """Create `path` 0700 or check that the existing one is private; its path."""
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeDirectory('%s is not a directory (a symbolic link?): refusing to '
                              'put HAProxy sockets there' % path)
    if info.st_uid != os.geteuid():
        raise UnsafeDirectory('%s belongs to user %d, not to this controller (user '
                              '%d): refusing to put HAProxy sockets there; remove it'
                              % (path, info.st_uid, os.geteuid()))
    if stat.S_IMODE(info.st_mode) & 0o077:
        raise UnsafeDirectory('%s has mode %o: other users could reach the HAProxy '
                              'sockets in it; it must be 0700 (chmod 700 it or '
                              'remove it)' % (path, stat.S_IMODE(info.st_mode)))
    return path
