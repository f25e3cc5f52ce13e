"""A plan's retry schedule as Airflow retry settings, and the delay Airflow will wait before a try."""

from __future__ import annotations

import datetime
import hashlib
import math
from typing import Any

from .compat import AIRFLOW_VERSION, RetryDecision, RetryPolicy


def retry_args(retries: int, delays: list[float], multiplier: float, max_delay: float | None) -> dict[str, Any]:
    """Airflow retry settings for a plan's schedule: delays[n - 1] seconds before retry n."""
    if retries == 0:
        return {"retries": 0}
    args: dict[str, Any] = {"retries": retries, "retry_delay": datetime.timedelta(seconds=delays[0])}
    if multiplier != 1:
        exact = multiplier == 2 or AIRFLOW_VERSION < (3, 2)
        args["retry_exponential_backoff"] = True if exact else float(multiplier)
        if max_delay is not None:
            args["max_retry_delay"] = datetime.timedelta(seconds=max_delay)
    if RetryPolicy is not None:
        args["retry_policy"] = PlanDelays(delays)
    return args


if RetryPolicy is not None:

    class PlanDelays(RetryPolicy):  # type: ignore[misc]
        """Retry n waits exactly the plan's delays[n - 1] seconds (no jitter)."""

        def __init__(self, delays: list[float]) -> None:
            self.delays = list(delays)

        def evaluate(self, exception: Any, try_number: int, max_tries: int, context: Any = None) -> Any:
            delay = self.delays[max(0, min(try_number, len(self.delays)) - 1)]
            return RetryDecision.retry(delay=datetime.timedelta(seconds=delay))

        def serialize(self) -> dict[str, Any]:
            return {"__type": "PlanDelays", "delays": self.delays}


def airflow_retry_delay(op: Any, ti: Any, try_number: int) -> float:
    """Seconds Airflow will wait before the next try (its own formula where it has no policy)."""
    if RetryPolicy is not None:
        delays: list[float] = op.retry_policy.delays
        return delays[min(try_number, len(delays)) - 1]
    base: float = op.retry_delay.total_seconds()
    if not op.retry_exponential_backoff:
        return base
    multiplier = 2 if op.retry_exponential_backoff is True else op.retry_exponential_backoff
    low = max(1, math.ceil(base * multiplier ** (try_number - 1)))
    date = getattr(ti, "execution_date", None) or getattr(ti, "logical_date", None)
    key = "%s#%s#%s#%s" % (ti.dag_id, ti.task_id, date, try_number)
    delay: float = min(low + int(hashlib.sha1(key.encode()).hexdigest(), 16) % low, 24 * 60 * 60)
    cap: float | None = op.max_retry_delay.total_seconds() if op.max_retry_delay else None
    return delay if cap is None else min(delay, cap)
