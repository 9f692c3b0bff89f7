"""A gate in front of the haproxy binary, to hold the worker mid-change on purpose.

The controller is configured with this script as `haproxy_binary`. While the gate
file exists, every haproxy invocation waits; so a test can keep a load balancer in
PENDING_UPDATE for as long as it needs, instead of racing the worker's ~0.1 s.
"""
import os
import shutil
import stat

SCRIPT = '''#!/bin/sh
while [ -e "%(gate)s" ]; do sleep 0.02; done
exec %(haproxy)s "$@"
'''


class HaproxyGate:
    def __init__(self, directory):
        self.path = os.path.join(directory, 'gate')
        self.binary = os.path.join(directory, 'gated-haproxy')
        with open(self.binary, 'w') as script:
            script.write(SCRIPT % {'gate': self.path,
                                   'haproxy': shutil.which('haproxy')})
        os.chmod(self.binary, os.stat(self.binary).st_mode | stat.S_IEXEC)

    def close(self):
        open(self.path, 'w').close()

    def open(self):
        if os.path.exists(self.path):
            os.unlink(self.path)
