"""The HTTP side of the devcloud web server (heat_lbaas.devcloud.webserver), on aiohttp.

One event loop (uvloop's: the same server used a third more CPU per request on
asyncio's own loop) in one process answers every connection: many keep-alive clients and
thousands of concurrent connections cost a socket each, not a thread each, and aiohttp
sends each answer with TCP_NODELAY in one write (no delayed-ACK stall).
Only the web server process imports this module (and aiohttp, uvloop); the Heat engine,
which imports webserver.py to start and stop servers, does not.
"""
import asyncio
import signal

from aiohttp import web
import uvloop

# `?sleep=SECONDS` is capped: a slow request, not a hung one.
MAX_SLEEP_SECONDS = 30.0
# On SIGTERM, requests in progress get this long to finish before the process exits
# (webserver.stop() sends SIGKILL only after 5 s).
SHUTDOWN_GRACE_SECONDS = 1.0
ANSWERED_METHODS = frozenset({'GET', 'HEAD'})


def sleep_seconds(value):
    """The delay `?sleep=` asks for: 0 when absent or not a number, at most 30 s."""
    try:
        delay = float(value or 0)
    except ValueError:
        return 0.0
    return min(MAX_SLEEP_SECONDS, max(0.0, delay))


def identity_handler(identity):
    """The request handler: 200 with the identity as body and X-Served-By to every
    GET and HEAD (aiohttp leaves a HEAD answer's body out), 501 to other methods."""
    body = ('served-by: %s\n' % identity).encode()
    headers = {'Content-Type': 'text/plain; charset=utf-8', 'X-Served-By': identity}

    async def answer(request):
        if request.method not in ANSWERED_METHODS:
            return web.Response(status=501, text='unsupported method %s\n' % request.method)
        delay = sleep_seconds(request.query.get('sleep'))
        if delay:
            # A slow request, to show that a member leaving its pool is drained before
            # it goes; other connections are answered meanwhile.
            await asyncio.sleep(delay)
        return web.Response(body=body, headers=headers)

    return answer


async def serve(listening_socket, backlog, identity):
    """Answer on `listening_socket` until SIGTERM (asyncio listens on the socket again,
    with `backlog`; connections the kernel queued meanwhile are answered)."""
    # Health checks hit every member every few seconds: no access log.
    runner = web.ServerRunner(web.Server(identity_handler(identity), access_log=None),
                              shutdown_timeout=SHUTDOWN_GRACE_SECONDS)
    await runner.setup()
    try:
        await web.SockSite(runner, listening_socket, backlog=backlog).start()
        terminated = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, terminated.set)
        await terminated.wait()
    finally:
        await runner.cleanup()


def run(listening_socket, backlog, identity):
    """serve() on a uvloop event loop, until SIGTERM."""
    uvloop.run(serve(listening_socket, backlog, identity))
