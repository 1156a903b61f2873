"""A local SMTP server for the tests that send letters (shared, as ``camt_entries`` is)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def serving(handler: object, **smtp: object) -> Iterator[int]:
    """Run an aiosmtpd ``handler`` on a free local port; yield the port.

    ``smtp``: options of aiosmtpd's server, e.g. ``enable_SMTPUTF8=True`` or an
    ``authenticator``."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port, **smtp)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
