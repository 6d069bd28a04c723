"""A real SMTP server on 127.0.0.1 for the mail tests (aiosmtpd), which can be down and come back on its port."""
from __future__ import annotations

import socket
import time
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MailServer:
    """What the server received (``messages``, parsed), and ``start``/``stop`` on a fixed port."""

    def __init__(self):
        self.port = free_port()
        self.messages = []
        self.refuse = None
        self._controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # A mailbox the server refuses for good (``refuse = "550 …"``), or for now ("450 …").
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]

    def wait_for(self, count: int, seconds: float = 60) -> list:
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.messages


@pytest.fixture
def mail_server(app):
    """A running SMTP server the app is configured to send through (``stop()`` it to see a failure)."""
    server = MailServer()
    server.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_DEFAULT_SENDER="projekt@proconnect.test",
                      MAIL_TIMEOUT=5)
    yield server
    server.stop()
