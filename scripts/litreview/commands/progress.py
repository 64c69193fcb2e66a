"""How far a long ``verify`` or ``fetch`` has got, on stderr (stdout carries ``--format json``),
and, once each, the hosts the run stopped asking.

A run of a few seconds says nothing: progress starts only after :data:`AFTER` seconds. On a
terminal it is one line redrawn with ``\\r``; in a log it is a line every tenth of the run.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # httpx loads only for the commands that ask the sources
    from ..core.fetch.http import Client

#: Seconds a run lasts before it shows its progress.
AFTER = 3.0


class Progress:
    """``what n/N`` for a run over ``client``'s sources; call it after each item, then :meth:`end`."""

    def __init__(
        self,
        what: str,
        client: Client,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what = what
        self.client = client
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.start = clock()
        self.said: set[str] = set()
        self.shown = 0
        """The tenth of the run last shown in a log, or the width of the line on a terminal."""
        self.drawn = False
        self.terminal = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, done: int, total: int) -> None:
        """``done`` of ``total`` items are through: show it if the run has lasted."""
        self._hosts()
        if total <= 0 or self.clock() - self.start < AFTER:
            return
        line = f"{self.what} {done}/{total}"
        if self.terminal:
            self.stream.write("\r" + line.ljust(self.shown))
            self.shown, self.drawn = len(line), True
        elif done * 10 // total > self.shown or (not self.drawn and done < total):
            self.stream.write(line + "\n")
            self.shown, self.drawn = done * 10 // total, True
        self.stream.flush()

    def end(self) -> None:
        """Say the hosts not yet said; leave the terminal's progress line behind."""
        self._hosts()
        if self.terminal and self.drawn:
            self.stream.write("\n")
            self.drawn = False
        self.stream.flush()

    def _hosts(self) -> None:
        for host, reason in self.client.unreachable.items():
            if host in self.said:
                continue
            self.said.add(host)
            if self.terminal and self.drawn:  # the note replaces the progress line, redrawn next time
                self.stream.write("\r" + " " * self.shown + "\r")
            self.stream.write(f"stopped asking {host} in this run: {reason}\n")
