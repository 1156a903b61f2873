"""A local SMTP server for the tests that send letters (shared, as ``camt_entries`` is)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def serving(handler: object) -> Iterator[int]:
    """Run an aiosmtpd ``handler`` on a free local port; yield the port."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
