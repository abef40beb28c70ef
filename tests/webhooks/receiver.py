"""A real webhook receiver on loopback: answers from a script and keeps what it received."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    # (status, seconds to wait before answering) per request; the last one repeats.
    script: list[tuple[int, float]] = field(default_factory=lambda: [(200, 0.0)])
    received: list[Received] = field(default_factory=list)

    def answer_for(self, index: int) -> tuple[int, float]:
        return self.script[min(index, len(self.script) - 1)]


@contextmanager
def running_receiver(*script: tuple[int, float]) -> Iterator[Receiver]:
    receiver = Receiver(url="", script=list(script) or [(200, 0.0)])
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                index = len(receiver.received)
                receiver.received.append(Received(self.path, dict(self.headers.items()), body))
            status, wait = receiver.answer_for(index)
            time.sleep(wait)
            reply = b"" if status in (204, 304) else f"answer {index + 1}: {status}".encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (the timeout test)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/coldflow"
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
