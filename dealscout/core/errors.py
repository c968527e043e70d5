"""Errors that domain code raises and entry points translate (HTTP 4xx, exit code 2)."""


class DealscoutError(Exception):
    """Base class: the message is safe to show to the user."""


class BadInput(DealscoutError):
    """The caller's input is invalid (HTTP 400/422, exit code 2)."""


class NotFound(DealscoutError):
    """The object does not exist in the caller's workspace (HTTP 404, exit code 2)."""


class Forbidden(DealscoutError):
    """The caller's role may not do this (HTTP 403, exit code 2)."""


class Conflict(DealscoutError):
    """The change clashes with the stored state: a duplicate name, the last admin (HTTP 409)."""


class Refused(DealscoutError):
    """A source was refused: unsafe URL, hostile or unparseable content (exit code 2)."""


class Transient(DealscoutError):
    """A temporary failure (network down, broker unavailable): retry later (exit code 1)."""
