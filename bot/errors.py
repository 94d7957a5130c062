"""The one error tree of newsbot.

    NewsbotError
    ├── ConfigError          settings or sources file unusable; the CLI exits with code 2
    │   └── DataError        a bundled table in bot/data/ (topics, places) fails its checks
    ├── StorageError         the database failed (wraps sqlite and asyncpg errors)
    │   ├── SchemaError      the database is newer than this code, or a migration failed
    │   └── FilterFormatError  (bot.query.filter_tree) a stored filter not in its documented form
    ├── SourceError          one source failed this poll; logged, stored, and the poll goes on
    │   ├── FetchError       network, HTTP status, size cap, timeout
    │   │   └── UnsafeURLError   (bot.sources.guard) a host that resolves to a private address
    │   └── ParseError       nothing usable in the body
    └── ReaderInputError     what a reader typed cannot be used; the message says why (also a
        │                    ValueError, so `except ValueError` around parsing keeps working)
        ├── FilterError      (bot.query.filters) a boolean filter that does not parse
        └── ScheduleError    /settings words that are not a schedule (bot.query.schedule)

A SourceError is one source's failure this poll; so is any other exception met while reading,
parsing or classifying that source (recorded as "unexpected …", its traceback logged at debug),
so one source can never stop a poll.
ReaderInputError's message is written for the reader and is shown to them as it is.
Outside the tree on purpose: pydantic validators in bot.config raise ValueError, as pydantic
requires, and load_settings turns the report into a ConfigError; a ValueError for a bad
argument (shorten(text, 0), a filter Term of kind FILTER) is a caller's bug, not an outcome;
so is the TypeError of a Sender given a bot without the Pacer (bot.delivery.sender).
PTB's ApplicationHandlerStop, raised by handlers.chats.on_error when the store fails, is
control flow (the update's later handlers are skipped), not an error.  An ImportError from
bot.classify in a checkout whose compiled module is older than its edited source is an
import that must not go ahead (Python would run the old build), not something to handle.
"""

from __future__ import annotations


class NewsbotError(Exception):
    """Base of every error newsbot raises on purpose."""


class ConfigError(NewsbotError):
    """A setting or the sources file cannot be used as given."""


class DataError(ConfigError):
    """A data table cannot be used; the message names the file and the entry."""


class StorageError(NewsbotError):
    """The store could not do what was asked."""


class SchemaError(StorageError):
    """The database schema cannot be brought to this code's version."""


class SourceError(NewsbotError):
    """One source failed; the message is shown to operators as the source's last error."""


class FetchError(SourceError):
    """The body could not be fetched."""


class ParseError(SourceError):
    """The body held nothing we could read as articles."""


class ReaderInputError(NewsbotError, ValueError):
    """A reader's words cannot be used; the message tells them what to type instead."""


class ScheduleError(ReaderInputError):
    """Quiet hours, digest hour or time zone given in words we cannot read."""
