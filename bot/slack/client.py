"""The Slack Web API client: retries what Slack asks to be retried (429; 5xx and dropped connections only
where doing a thing twice is harmless), and counts every call's outcome (`bot.metrics`)."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler

from bot import metrics

log = logging.getLogger(__name__)


def web_client(token: str | None, api_url: str | None = None, retry_unknown: bool = True) -> WebClient:
    """A Web API client that retries what Slack asks to be retried: 429 after its Retry-After, and, with
    `retry_unknown`, 5xx and dropped connections with exponential backoff (about half a minute in all).
    Those may have been carried out although no reply came: a caller that must not do a thing twice (a
    reminder) turns them off and finds out itself."""
    backoff = BackoffRetryIntervalCalculator(backoff_factor=0.5)
    retries: list[RetryHandler] = [RateLimitErrorRetryHandler(max_retry_count=5)]
    if retry_unknown:
        retries += [
            ServerErrorRetryHandler(max_retry_count=5, interval_calculator=backoff),
            ConnectionErrorRetryHandler(max_retry_count=3, interval_calculator=backoff),
        ]
    if api_url:
        return CountingWebClient(token=token, base_url=_base_url(api_url), retry_handlers=retries)
    return CountingWebClient(token=token, retry_handlers=retries)


def counting(client: WebClient | None) -> WebClient | None:
    """Bolt builds a plain WebClient for each request; the same client that counts its failed calls."""
    if client is None or isinstance(client, CountingWebClient):
        return client
    return CountingWebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        ssl=client.ssl,
        proxy=client.proxy,
        headers=client.headers,
        logger=client.logger,
        retry_handlers=client.retry_handlers,
    )


def header_value(values: Any) -> str | None:
    """A header's value as bolt keeps headers (a list of values per name)."""
    if isinstance(values, list | tuple):
        return str(values[0]) if values else None
    return str(values) if values else None


class CountingWebClient(WebClient):
    """A WebClient that counts the calls that failed after its retries (`styrbot_slack_errors`): Slack's
    error code ("channel_not_found", "ratelimited") or, for a call that never got an answer, the exception."""

    def api_call(self, api_method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().api_call(api_method, *args, **kwargs)
        except SlackApiError as exc:
            error = exc.response.get("error") if isinstance(exc.response.data, dict) else None
            metrics.SLACK_ERRORS.labels(api_method, str(error or exc.response.status_code)).inc()
            raise
        except Exception as exc:
            metrics.SLACK_ERRORS.labels(api_method, type(exc).__name__).inc()
            raise


def _base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"
