"""Real identity web servers (the devcloud's program) as pool members for tests."""
import time
import uuid

from heat_lbaas.devcloud import webserver


class WebServers:
    def __init__(self, state_dir):
        self.state_dir = state_dir
        self.ids = []

    def start(self, count, name='member'):
        ids = []
        for n in range(count):
            server_id = str(uuid.uuid4())
            webserver.spawn(server_id, 'test', '%s%d' % (name, n),
                            state_dir=self.state_dir)
            self.ids.append(server_id)
            ids.append(server_id)
        return [self._ready(server_id) for server_id in ids]

    def start_at(self, address, port, name='member'):
        """One server on a given address and port (a killed member coming back)."""
        server_id = str(uuid.uuid4())
        webserver.spawn(server_id, 'test', name, state_dir=self.state_dir,
                        address_range='%s/32' % address, port=port)
        self.ids.append(server_id)
        return self._ready(server_id)

    def _ready(self, server_id, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready = webserver.read_ready(self.state_dir, server_id)
            if ready:
                ready['server_id'] = server_id
                return ready
            time.sleep(0.02)
        raise AssertionError('web server %s did not start: %s' % (
            server_id, webserver.read_log_tail(self.state_dir, server_id)))

    def stop(self, server_id):
        webserver.stop(server_id, self.state_dir)

    def stop_all(self):
        for server_id in self.ids:
            webserver.stop(server_id, self.state_dir)
