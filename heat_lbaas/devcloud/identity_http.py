"""The HTTP side of the devcloud web server (heat_lbaas.devcloud.webserver): HTTP/1.1
on an asyncio protocol, run on uvloop's event loop.

What it answers is tiny (every GET and HEAD gets the same identity), so it needs no web
framework: this parser reads a request's line and headers and nothing else, and costs
a third of aiohttp's start-up CPU (0.13 s instead of 0.43 s of imports, measured), which
a scale-up of an autoscaled tier waits for. One event loop answers every connection:
many keep-alive clients and thousands of concurrent connections cost a socket each, not
a thread each; uvloop sets TCP_NODELAY, and each answer is one write (no delayed-ACK
stall).

Served: GET and HEAD of any path, `?sleep=SECONDS` answered that much later (other
connections meanwhile), keep-alive (HTTP/1.1 unless `Connection: close`; HTTP/1.0 with
`Connection: keep-alive`) and pipelined requests, in order. Anything else is answered
and the connection closed: other methods 501, a request line or headers it cannot read
400, headers over 64 KiB 431 (a request body is never read, so the connection cannot
be used again).
"""
import asyncio
import signal
import urllib.parse

import uvloop

# `?sleep=SECONDS` is capped: a slow request, not a hung one.
MAX_SLEEP_SECONDS = 30.0
# On SIGTERM, requests in progress get this long to finish before the process exits
# (webserver.stop() sends SIGKILL only after 5 s).
SHUTDOWN_GRACE_SECONDS = 1.0
ANSWERED_METHODS = frozenset({b'GET', b'HEAD'})
MAX_HEAD_BYTES = 64 * 1024
REASONS = {200: 'OK', 400: 'Bad Request', 431: 'Request Header Fields Too Large',
           501: 'Not Implemented'}


def sleep_seconds(value):
    """The delay `?sleep=` asks for: 0 when absent or not a number, at most 30 s."""
    try:
        delay = float(value or 0)
    except ValueError:
        return 0.0
    return min(MAX_SLEEP_SECONDS, max(0.0, delay))


def answer(status, body, keep_alive, identity_header, with_body=True):
    """The bytes of one response."""
    head = ['HTTP/1.1 %d %s' % (status, REASONS[status]),
            'Content-Type: text/plain; charset=utf-8',
            'Content-Length: %d' % len(body),
            'Connection: %s' % ('keep-alive' if keep_alive else 'close')]
    if identity_header:
        head.append('X-Served-By: %s' % identity_header)
    return ('\r\n'.join(head) + '\r\n\r\n').encode() + (body if with_body else b'')


class Request:
    """What of one request's head the server looks at."""

    def __init__(self, method, target, keep_alive):
        self.method, self.target, self.keep_alive = method, target, keep_alive

    @classmethod
    def parse(cls, head):
        """A Request from the bytes before the blank line; ValueError if unreadable."""
        lines = head.split(b'\r\n')
        method, target, version = lines[0].split(b' ')
        if not version.startswith(b'HTTP/1.'):
            raise ValueError('not HTTP/1.x: %r' % version)
        connection = b''
        for line in lines[1:]:
            name, colon, value = line.partition(b':')
            if not colon:
                raise ValueError('not a header: %r' % line)
            if name.strip().lower() == b'connection':
                connection = value.strip().lower()
        keep_alive = (connection != b'close' if version == b'HTTP/1.1'
                      else connection == b'keep-alive')
        return cls(method, target.decode('latin-1'), keep_alive)

    def delay(self):
        query = urllib.parse.urlsplit(self.target).query
        return sleep_seconds(urllib.parse.parse_qs(query).get('sleep', [None])[0])


class IdentityProtocol(asyncio.Protocol):
    """One client connection: its requests answered in order, a `?sleep=` one later."""

    def __init__(self, identity, in_progress):
        self.body = ('served-by: %s\n' % identity).encode()
        self.identity = identity
        self.in_progress = in_progress      # the server's connections waiting to answer
        self.transport = None
        self.buffer = bytearray()
        self.waiting = None                 # the call_later handle of a slow answer

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buffer += data
        self.answer_what_is_complete()

    def connection_lost(self, exc):
        if self.waiting is not None:
            self.waiting.cancel()
            self.waiting = None
        self.in_progress.discard(self)

    def answer_what_is_complete(self):
        while self.waiting is None and self.transport is not None \
                and not self.transport.is_closing():
            end = self.buffer.find(b'\r\n\r\n')
            if end < 0:
                if len(self.buffer) > MAX_HEAD_BYTES:
                    self.finish(431, b'request head too large\n')
                return
            head = bytes(self.buffer[:end])
            del self.buffer[:end + 4]
            try:
                request = Request.parse(head)
            except (ValueError, UnicodeError):
                self.finish(400, b'unreadable request\n')
                return
            if request.method not in ANSWERED_METHODS:
                self.finish(501, b'unsupported method %s\n' % request.method)
                return
            delay = request.delay()
            if delay:
                # A slow request, to show that a member leaving its pool is drained
                # before it goes; other connections are answered meanwhile.
                self.in_progress.add(self)
                self.waiting = asyncio.get_running_loop().call_later(
                    delay, self.answer_late, request)
                return
            self.send(request)

    def answer_late(self, request):
        self.waiting = None
        self.in_progress.discard(self)
        self.send(request)
        self.answer_what_is_complete()

    def send(self, request):
        self.transport.write(answer(200, self.body, request.keep_alive, self.identity,
                                    with_body=request.method != b'HEAD'))
        if not request.keep_alive:
            self.transport.close()

    def finish(self, status, body):
        """Answer and close: what follows in the stream cannot be read as requests."""
        self.transport.write(answer(status, body, False, None))
        self.transport.close()


async def serve(listening_socket, backlog, identity):
    """Answer on `listening_socket` until SIGTERM (asyncio listens on the socket again,
    with `backlog`; connections the kernel queued meanwhile are answered)."""
    loop = asyncio.get_running_loop()
    in_progress = set()
    server = await loop.create_server(lambda: IdentityProtocol(identity, in_progress),
                                      sock=listening_socket, backlog=backlog)
    terminated = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, terminated.set)
    await terminated.wait()
    server.close()
    deadline = loop.time() + SHUTDOWN_GRACE_SECONDS
    while in_progress and loop.time() < deadline:
        await asyncio.sleep(0.05)


def run(listening_socket, backlog, identity):
    """serve() on a uvloop event loop, until SIGTERM."""
    uvloop.run(serve(listening_socket, backlog, identity))
