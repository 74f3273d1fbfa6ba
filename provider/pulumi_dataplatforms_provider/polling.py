"""Waiting for asynchronous platform work: backoff polling against a deadline, with progress logs."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import pulumi

from .timeouts import Deadline

T = TypeVar("T")


class WaitTimeoutError(Exception):
    """The awaited state was not reached before the deadline."""


def wait_for(
    what: str,
    probe: Callable[[], T],
    done: Callable[[T], bool],
    deadline: Deadline,
    *,
    describe: Callable[[T], str] = str,
    initial: float = 0.5,
    maximum: float = 10.0,
) -> T:
    """Call `probe` until `done(result)`, backing off from `initial` to `maximum` seconds.

    Shows each change of `describe(result)` as an ephemeral `pulumi.log.info` status message (on the
    resource's row in the CLI, see engine_log; on stderr elsewhere); raises `WaitTimeoutError`
    naming the last state when the deadline passes. Exceptions from `probe` or `done` propagate.
    """
    delay, last = initial, None
    while True:
        result = probe()
        state = describe(result)
        if state != last:
            pulumi.log.info(f"{what}: {state}", ephemeral=True)
            last = state
        if done(result):
            return result
        if deadline.expired:
            raise WaitTimeoutError(f"{what}: still {state} after {deadline.seconds:g}s; raise the `timeouts` input")
        time.sleep(max(0.0, min(delay, deadline.remaining)))
        delay = min(delay * 1.6, maximum)
