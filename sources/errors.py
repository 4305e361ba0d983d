"""Exceptions that carry a sentence written for the scholar, not for the programmer.

The edges (pages, command line) show ``str(error)`` as it is; nothing else is needed.
"""


class PalimpsestError(Exception):
    """Base of every expected failure; its message is shown to the user verbatim."""


class ImportRefused(PalimpsestError):
    """A file could not be imported; the database was left as it was."""


class DuplicateDocument(ImportRefused):
    """The same bytes were imported before; ``existing_id`` names that document."""

    def __init__(self, message: str, existing_id: int):
        super().__init__(message)
        self.existing_id = existing_id


class NotFound(PalimpsestError):
    """A document, passage or annotation asked for does not exist (any more)."""


class InvalidInput(PalimpsestError):
    """A value typed or sent by the user cannot be accepted as it is."""
