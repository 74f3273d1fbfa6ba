"""Creating on a platform exactly once, when an answer can be lost.

A POST whose answer is lost (a 5xx after the platform did the work, a dropped connection) may or
may not have made the thing. Sending it again blindly makes a duplicate; giving up leaves an
orphan the next run does not know about. `create_once` looks the thing up by what identifies it
(`find`) before every POST after the first failure, and, unless told otherwise, before the first
one too, so a retried or re-run create finds what an earlier attempt made. Every resource's
create goes through it; only the look-up differs (a name, a new version id, ids that were not
there before).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import pulumi

from .core import APIConnectionError, ConflictError, RateLimitError, ServerError
from .timeouts import Deadline

T = TypeVar("T")

#: Failures after which the platform may or may not have done the work.
AMBIGUOUS = (ServerError, APIConnectionError)


@dataclass(frozen=True)
class Created(Generic[T]):
    """What `create_once` got, and how."""

    value: T
    #: The POST of this call answered (False: `find` found it).
    posted: bool
    #: Found after a POST of this call failed without a clear answer (a 5xx or a transport
    #: failure): the value is that POST's work, not something made elsewhere. (A 409 alone
    #: does not count: the name may be taken by someone else.)
    after_lost_answer: bool


def create_once(
    what: str,
    find: Callable[[], T | None],
    post: Callable[[], T],
    deadline: Deadline,
    *,
    look_first: bool = True,
    conflict_means_found: bool = True,
    initial: float = 0.5,
    maximum: float = 10.0,
) -> Created[T]:
    """POST at most once per look-up that found nothing, until it answers or `deadline` passes.

    - `find()` returns the thing when it exists (None otherwise); it runs before every POST
      when `look_first`, else only after a failure that leaves the outcome unknown.
    - A 409 means the thing exists when `conflict_means_found` (it is looked up again after the
      backoff); otherwise it is raised unless the look-up finds what an earlier attempt made.
    - A 429 was not processed: the POST is sent again after the backoff.
    - After a 5xx or a transport failure the thing is looked up before any further POST; when
      the deadline leaves no time for another attempt, the failure is raised.
    """
    lost, delay = False, initial
    while True:
        if look_first or lost:
            existing = find()
            if existing is not None:
                if lost:
                    pulumi.log.info(f"{what}: found what an unconfirmed attempt made")
                return Created(existing, posted=False, after_lost_answer=lost)
        try:
            return Created(post(), posted=True, after_lost_answer=False)
        except RateLimitError:
            pass
        except ConflictError:
            if not conflict_means_found:
                existing = find()
                if existing is None:
                    raise
                return Created(existing, posted=False, after_lost_answer=lost)
        except AMBIGUOUS as exc:
            lost = True
            if deadline.remaining < delay:
                existing = find()
                if existing is None:
                    raise
                return Created(existing, posted=False, after_lost_answer=True)
            pulumi.log.info(f"{what}: not confirmed ({exc.message}); looking before trying again")
        if deadline.remaining < delay:
            raise TimeoutError(f"{what}: not done within {deadline.seconds:g}s; raise the `timeouts` input")
        time.sleep(delay)
        delay = min(delay * 2, maximum)
