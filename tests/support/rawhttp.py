"""A raw-socket POST that streams a large body and times the server's first answer: how
long a server takes to refuse a body it should not read (tests and benchmarks)."""

from __future__ import annotations

import socket
import time


def time_to_refusal(port: int, *, size: int, headers: str = "") -> tuple[float, bytes]:
    """Seconds from sending the headers of a ``size``-byte POST to the first response bytes,
    and those bytes. The body is sent in chunks until the server answers or hangs up."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        started = time.perf_counter()
        sock.sendall(
            f"POST /v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Content-Length: {size}\r\n{headers}\r\n".encode()
        )
        sock.settimeout(0.01)
        chunk, sent = b"x" * 65536, 0
        while sent < size:
            try:
                answer = sock.recv(4096)
                if answer:
                    return time.perf_counter() - started, answer
            except TimeoutError:
                pass
            try:
                sock.sendall(chunk)
            except OSError:
                break
            sent += len(chunk)
        sock.settimeout(5)
        return time.perf_counter() - started, sock.recv(4096)
