"""Retry policy: exponential backoff with full jitter, `Retry-After` honoured, bounded by count and deadline."""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass

import httpx

RETRYABLE_STATUSES = frozenset({408, 429, 502, 503, 504})
MAX_RETRY_AFTER_SECONDS = 60.0


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before trying a request again."""

    max_retries: int = 5
    initial_delay: float = 0.25
    max_delay: float = 8.0
    deadline: float = 120.0
    statuses: frozenset[int] = RETRYABLE_STATUSES

    def should_retry_status(self, status_code: int) -> bool:
        return status_code in self.statuses

    def delay(self, attempt: int, response: httpx.Response | None = None) -> float:
        """Seconds to wait before retry number `attempt` (0-based)."""
        if response is not None:
            advised = retry_after_seconds(response)
            if advised is not None:
                return advised
        ceiling = min(self.max_delay, self.initial_delay * (2**attempt))
        return random.uniform(ceiling / 2, ceiling)

    def allows(self, attempt: int, started: float, wait: float) -> bool:
        """Whether retry number `attempt` may run, `wait` seconds from now."""
        return attempt < self.max_retries and (time.monotonic() - started + wait) <= self.deadline


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The server's `Retry-After` advice in seconds (delta or HTTP date), capped at 60 s."""
    value = response.headers.get("retry-after-ms")
    if value:
        try:
            return min(max(float(value) / 1000, 0.0), MAX_RETRY_AFTER_SECONDS)
        except ValueError:
            pass
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)
