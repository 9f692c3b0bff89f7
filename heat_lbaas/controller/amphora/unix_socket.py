"""One request/response exchange with an HAProxy CLI socket."""
import socket


def exchange(path, command, timeout=5.0):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(path)
        connection.sendall(command.encode() + b'\n')
        # Closing our side tells HAProxy the command is complete, so it answers and
        # closes instead of waiting for more commands.
        connection.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                return b''.join(chunks).decode(errors='replace')
            chunks.append(chunk)
