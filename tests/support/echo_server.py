"""An in-process HTTP server that echoes what it received, as a pool member for tests
of headers, cookies and timeouts. It binds a loopback address of its own."""
import http.server
import json
import random
import ssl
import threading
import time
import urllib.parse

from tests.support import ports


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        if 'sleep' in query:
            time.sleep(float(query['sleep'][0]))
        if 'hold' in query:
            # Held until the test calls release(): a request in flight for exactly as
            # long as the test needs, however slow the machine is.
            self.server.holding.set()
            self.server.released.wait(60)
        # Header names in lower case: HAProxy sends them so over HTTP/1.1.
        body = json.dumps({'name': self.server.name, 'path': self.path,
                           'client': self.client_address[0],
                           'headers': {k.lower(): v for k, v in self.headers.items()}}).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        for cookie in query.get('set_cookie', ()):
            self.send_header('Set-Cookie', cookie)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class EchoServer:
    """`tls_bundle`: a PEM of certificate and key to serve HTTPS instead of HTTP;
    `client_ca`: a CA certificate file, to require client certificates it signed."""

    def __init__(self, name, tls_bundle=None, client_ca=None):
        network = ports.random_loopback_subnet()
        self.address = network.replace('.0/24', '.%d' % random.randint(2, 250))
        self.port = ports.free_port(self.address)
        self.server = http.server.ThreadingHTTPServer((self.address, self.port), _Handler)
        self.server.daemon_threads = True
        self.server.name = name
        self.server.holding = threading.Event()
        self.server.released = threading.Event()
        if tls_bundle:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls_bundle)
            if client_ca:
                context.verify_mode = ssl.CERT_REQUIRED
                context.load_verify_locations(client_ca)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def holding(self):
        """True once a `?hold` request has arrived (and until the server stops)."""
        return self.server.holding.is_set()

    def release(self):
        """Answer every `?hold` request, present and future."""
        self.server.released.set()

    def stop(self):
        self.release()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
