"""Reusable validated field types for Ardent inputs (errors never echo a secret's value)."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

import pydantic
from pydantic import AfterValidator

_HOST = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
)
_IPV6 = re.compile(r"^\[?[0-9A-Fa-f:]+\]?$")
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


def _host(value: str) -> str:
    if "://" in value:
        raise ValueError("must be a host name without a scheme (e.g. 'db.example.com', not 'https://...')")
    if not (_HOST.match(value) or (":" in value and _IPV6.match(value))):
        raise ValueError("is not a valid host name or IP address")
    return value


def _port(value: str) -> str:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise ValueError("must be a port number between 1 and 65535, given as a string such as '5432'")
    return value


def _url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or not _HOST.match(parts.hostname):
        raise ValueError("must be an http(s) URL such as 'https://example.com'")
    return value


def _url_or_host(value: str) -> str:
    if "://" in value:
        return _url(value)
    host, _, port = value.partition(":")
    _host(host)
    if port:
        _port(port)
    return value


def _repo(value: str) -> str:
    if "://" in value:
        _url(value)
    elif not _REPO.match(value):
        raise ValueError("must be a repository such as 'acme/pipelines' or its https URL")
    return value


def _digits(value: str) -> str:
    if not value.isdigit():
        raise ValueError("must be a non-negative integer given as a string, such as '0'")
    return value


def _mongo_url(value: str) -> str:
    if not value.startswith(("mongodb://", "mongodb+srv://")) or len(value.split("://", 1)[1]) == 0:
        raise ValueError("must be a MongoDB URI starting with 'mongodb://' or 'mongodb+srv://'")
    return value


def _address(value: str) -> str:
    host, sep, port = value.rpartition(":")
    if not sep:
        return _port(value)
    _host(host)
    _port(port)
    return value


NonEmpty = Annotated[str, pydantic.StringConstraints(min_length=1), pydantic.Strict()]
Host = Annotated[NonEmpty, AfterValidator(_host)]
Port = Annotated[NonEmpty, AfterValidator(_port)]
Url = Annotated[NonEmpty, AfterValidator(_url)]
UrlOrHost = Annotated[NonEmpty, AfterValidator(_url_or_host)]
Repo = Annotated[NonEmpty, AfterValidator(_repo)]
Digits = Annotated[NonEmpty, AfterValidator(_digits)]
MongoUrl = Annotated[NonEmpty, AfterValidator(_mongo_url)]
Address = Annotated[NonEmpty, AfterValidator(_address)]
Secret = NonEmpty
