"""A failed request in one line, in the words `pantau ingest` uses too (ingest.http): HTTP status, timeout,
unknown host, refused connection, redirect loop. None for what is no failure (robots.txt, already stored)."""
from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError

from ingest import http


def _scrapy_errors(*names: str) -> tuple[type, ...]:
    """Scrapy >= 2.14 wraps Twisted's download errors in its own classes."""
    import scrapy.exceptions
    return tuple(getattr(scrapy.exceptions, n) for n in names if hasattr(scrapy.exceptions, n))


TIMEOUTS = (TimeoutError, TCPTimedOutError, *_scrapy_errors("DownloadTimeoutError"))
NO_HOST = (DNSLookupError, *_scrapy_errors("CannotResolveHostError"))
REFUSED = (ConnectionRefusedError, *_scrapy_errors("DownloadConnectionRefusedError"))


def describe(failure) -> str:
    """The one-line reason of a download failure (HttpError and IgnoreRequest are read by the caller first)."""
    if failure.check(HttpError):
        return http.http_status(failure.value.response.status)
    if failure.check(IgnoreRequest):
        message = str(failure.value)
        return http.TOO_MANY_REDIRECTS if "redirect" in message else message or "ignored"
    if failure.check(*TIMEOUTS):
        return http.TIMED_OUT
    if failure.check(*NO_HOST):
        return http.HOST_NOT_FOUND
    if failure.check(*REFUSED):
        return http.CONNECTION_REFUSED
    return f"{failure.type.__name__}: {failure.getErrorMessage()}"


def first_url(obj) -> str:
    """The URL as first requested (before redirects): feed state and errors are kept under it."""
    return (obj.meta.get("redirect_urls") or [obj.url])[0]
