"""Guessing a kiosk PIN: each tablet waits a little longer after each wrong PIN; nobody locks the link for all.

Every tablet has its own count: the id kiosk.js keeps for it, once its heartbeats registered it for the link
(``Kiosk``). After ``FREE`` wrong PINs each further try waits, from the last wrong one, ``FIRST_WAIT``
seconds, doubling up to ``LONGEST_WAIT``; the right PIN after the wait opens and clears that tablet's count.
A stranger tapping on one tablet thus slows that tablet alone, for a minute at most, and staff on any
other tablet get in at once. Everything else (a browser that is no registered tablet of the link, a made-up
id) shares one count per link, so a guesser cannot open new counts at will; the tablets a link registers
are few (``KIOSK_TABLETS_PER_LINK``). When a link saw ``UNDER_ATTACK`` wrong PINs within the hour, someone
is guessing on many tablets at once: every wait may then grow to ``LONGEST_WAIT_UNDER_ATTACK``, and the
right PIN still opens after it.

Counted in memory, per worker process, like the sign-in limits.
"""
from __future__ import annotations

import math
import threading
import time
from collections import deque

FREE, FIRST_WAIT, LONGEST_WAIT = 3, 5, 60
UNDER_ATTACK, LONGEST_WAIT_UNDER_ATTACK = 100, 600
#: Seconds a wrong PIN is remembered.
WINDOW = 3600
#: The count of every browser that is no registered tablet of the link.
SHARED = ""


class PinGuard:
    """Wrong PINs per link and tablet, and the waits that follow from them."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self._tablets: dict[tuple[str, str], deque] = {}
        self._links: dict[str, deque] = {}
        self._lock = threading.Lock()

    def _recent(self, counts: dict, key) -> deque:
        attempts = counts.get(key, deque())
        while attempts and attempts[0] <= self.clock() - WINDOW:
            attempts.popleft()
        if not attempts:
            counts.pop(key, None)
        return attempts

    def _wait(self, link: str, tablet: str) -> int:
        wrong = self._recent(self._tablets, (link, tablet))
        if len(wrong) < FREE:
            return 0
        attacked = len(self._recent(self._links, link)) >= UNDER_ATTACK
        pause = min(FIRST_WAIT * 2 ** min(len(wrong) - FREE, 16),
                    LONGEST_WAIT_UNDER_ATTACK if attacked else LONGEST_WAIT)
        return max(0, math.ceil(wrong[-1] + pause - self.clock()))

    def attempt(self, link: str, tablet: str) -> int:
        """A try at ``link``'s PIN on ``tablet``: whole seconds it must wait first (nothing is counted), or 0,
        and the try counts as wrong until ``right`` says otherwise.

        Counted before the PIN is checked, so that tries sent all at once cannot slip through one opening.
        """
        with self._lock:
            wait = self._wait(link, tablet)
            if not wait:
                now = self.clock()
                self._tablets.setdefault((link, tablet), deque()).append(now)
                self._links.setdefault(link, deque()).append(now)
            return wait

    def right(self, link: str, tablet: str) -> None:
        """The PIN tried on ``tablet`` was right: its count starts afresh, and the link's forgets the try."""
        with self._lock:
            self._tablets.pop((link, tablet), None)
            if self._links.get(link):
                self._links[link].pop()


guard = PinGuard()
