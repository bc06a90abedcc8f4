"""One careful GET for the public-data clients: timeouts, retries with backoff, clear errors.

Public statistics services rate-limit (HTTP 429) and have bad minutes (5xx, timeouts);
a refresh should ride those out a few times and then say plainly what failed, rather
than hang or print a traceback. Client errors (404, 400) are not retried: asking again
will not help, and the message names the URL so the mapping can be fixed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import ClassVar, Self

import httpx

from cypp.data.errors import PublicDataError

__all__ = ["RetryPolicy", "get"]

USER_AGENT = "cypp (Children and Young People's Plan data refresh)"


@dataclass(frozen=True)
class RetryPolicy:
    """``attempts`` tries in all, waiting ``backoff``, 2×, 4× … seconds between them."""

    attempts: int = 4
    backoff: float = 1.0
    max_wait: float = 30.0

    def wait(self, attempt: int, retry_after: str | None = None) -> float:
        if retry_after and retry_after.strip().isdigit():
            return min(float(retry_after), self.max_wait)
        return float(min(self.backoff * 2 ** (attempt - 1), self.max_wait))


def get(
    client: httpx.Client,
    url: str,
    *,
    params: Mapping[str, str | int] | None = None,
    service: str,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> httpx.Response:
    """GET ``url``; retry 429, 5xx, timeouts and dropped connections; raise PublicDataError."""
    policy = policy or RetryPolicy()
    last = ""
    for attempt in range(1, policy.attempts + 1):
        retry_after = None
        try:
            response = client.get(url, params=params)
        except httpx.TimeoutException:
            last = "the service did not answer in time"
        except httpx.ConnectError as error:
            last = f"could not connect ({error}); is this computer offline?"
        except httpx.TransportError as error:
            last = f"the connection failed ({error})"
        else:
            if response.status_code < 400:
                return response
            if response.status_code != 429 and response.status_code < 500:
                raise PublicDataError(
                    f"{service} refused {response.request.url} with HTTP "
                    f"{response.status_code}: {response.text[:200].strip()}"
                )
            retry_after = response.headers.get("Retry-After")
            last = f"HTTP {response.status_code}"
        if attempt < policy.attempts:
            sleep(policy.wait(attempt, retry_after))
    raise PublicDataError(f"{service}: {last} (tried {policy.attempts} times: {url})")


class ApiClient:
    """An httpx session for one public service, with its base URL and retry policy."""

    default_base_url = ""
    default_timeout = 30.0
    extra_headers: ClassVar[tuple[tuple[str, str], ...]] = ()

    def __init__(
        self,
        *,
        base_url: str | None = None,
        timeout: float | None = None,
        policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self._http = httpx.Client(
            timeout=self.default_timeout if timeout is None else timeout,
            transport=transport,
            headers={"User-Agent": USER_AGENT, **dict(self.extra_headers)},
            follow_redirects=True,
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()
