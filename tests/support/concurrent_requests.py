"""Many HTTP connections open at once, each sending one request (raw sockets, asyncio).

All `count` connections are opened first and held; only once every one of them is open
does each send its GET (with `Connection: close`) and read the answer to the end. With
a slow path (`?sleep=1` on the devcloud's web servers) every request is in flight at the
same moment, so a load balancer and its members hold `count` connections at once.
"""
import asyncio
import collections
import resource

Answer = collections.namedtuple('Answer', 'status headers body')


def allow_open_files(needed):
    """Raise this process's soft RLIMIT_NOFILE (to the hard one) when `needed`
    descriptors would not fit under it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            raise RuntimeError('%d open files needed; the hard limit is %d' % (needed, hard))
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _parse(raw):
    head, _, body = raw.partition(b'\r\n\r\n')
    lines = head.decode('latin-1').split('\r\n')
    status = int(lines[0].split(' ', 2)[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(':')
        headers[name.strip().lower()] = value.strip()
    return Answer(status, headers, body)


async def _connect(host, port, timeout):
    return await asyncio.wait_for(asyncio.open_connection(host, port), timeout)


async def _ask(connection, host, path, timeout):
    reader, writer = connection
    try:
        writer.write(('GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n'
                      % (path, host)).encode())
        await writer.drain()
        return _parse(await asyncio.wait_for(reader.read(), timeout))
    finally:
        writer.close()


async def _all_at_once(host, port, path, count, timeout):
    connected = await asyncio.gather(*(_connect(host, port, timeout) for _ in range(count)),
                                     return_exceptions=True)
    opened = [c for c in connected if not isinstance(c, BaseException)]
    errors = [repr(c) for c in connected if isinstance(c, BaseException)]
    # Every connection is open at this point: now each sends its request.
    answered = await asyncio.gather(*(_ask(c, host, path, timeout) for c in opened),
                                    return_exceptions=True)
    answers = [a for a in answered if not isinstance(a, BaseException)]
    errors += [repr(a) for a in answered if isinstance(a, BaseException)]
    return answers, errors


def get_all_at_once(host, port, path, count, timeout=30.0):
    """([Answer], [error text]) of `count` connections held open together, each sending
    one GET `path`; a failed connect or read is an error, not an exception."""
    allow_open_files(count + 100)
    return asyncio.run(_all_at_once(host, port, path, count, timeout))
