"""Files only the devcloud's user may read: its keys and configuration files.

They hold Heat's auth_encryption_key and the passwords and tokens of clouds.yaml,
so they are written 0600 whatever the umask, and a file left with a wider mode by
an earlier version is narrowed before anything is written into it.
"""
import os


def write_text(path, text):
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, 'w') as private:
        os.fchmod(private.fileno(), 0o600)
        private.write(text)
