"""The WSGI server: waitress, in a thread for `coldflow run`, in the foreground for `web`."""

from __future__ import annotations

import threading

from waitress.server import create_server

from coldflow.web.wsgi import application


def make_server(host: str, port: int, threads: int = 8):
    return create_server(application, host=host, port=port, threads=threads, ident="coldflow")


def serve_in_thread(host: str, port: int):
    server = make_server(host, port)
    thread = threading.Thread(target=server.run, name="web", daemon=True)
    thread.start()
    return server
