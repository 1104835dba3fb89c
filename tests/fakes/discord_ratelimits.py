"""Rate limits as the fake Discord enforces them: a global rate, and per-route buckets whose
`X-RateLimit-*` headers teach discord.py how many requests it may have in flight.

(Without those headers discord.py assumes a bucket holds one request and sends one at a time.)
"""

from __future__ import annotations

import hashlib
import re
import time

_ID = re.compile(r"\d{5,}")
_MAJOR = re.compile(r"^/(channels|guilds|webhooks)/(\d+)")


class GlobalRate:
    """A token bucket over every request: `rate` a second, bursts of one second's worth."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self._tokens = rate
        self._updated = time.monotonic()

    def take(self) -> float | None:
        """None if the request may pass, else the seconds to wait."""
        now = time.monotonic()
        self._tokens = min(self.rate, self._tokens + (now - self._updated) * self.rate)
        self._updated = now
        if self._tokens < 1:
            return (1 - self._tokens) / self.rate
        self._tokens -= 1
        return None


class RouteBuckets:
    """`limit` requests per `window` seconds per route and major parameter, like Discord's."""

    def __init__(self, limit: int = 50, window: float = 1.0) -> None:
        self.limit = limit
        self.window = window
        self._windows: dict[str, tuple[float, int]] = {}

    @staticmethod
    def key(method: str, path: str) -> tuple[str, str]:
        """(bucket hash, bucket key): the route's template plus its major parameter."""
        major = _MAJOR.match(path)
        template = f"{method} {_ID.sub('{id}', path)}"
        bucket = hashlib.sha1(template.encode()).hexdigest()[:12]
        return bucket, f"{bucket}:{major.group(2) if major else ''}"

    def take(self, method: str, path: str) -> tuple[dict[str, str], float | None]:
        """Headers for the answer, and the seconds to wait if this request is over the limit."""
        bucket, key = self.key(method, path)
        now = time.monotonic()
        start, used = self._windows.get(key, (now, 0))
        if now - start >= self.window:
            start, used = now, 0
        reset_after = max(0.001, start + self.window - now)
        over = used >= self.limit
        if not over:
            used += 1
        self._windows[key] = (start, used)
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.limit - used),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket,
        }
        return headers, reset_after if over else None
