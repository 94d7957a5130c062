"""The one error tree of newsbot.

    NewsbotError
    ├── ConfigError          settings or sources file unusable; the CLI exits with code 2
    │   └── DataError        a bundled table in bot/data/ (topics, places) fails its checks
    ├── StorageError         the database failed (wraps sqlite errors)
    │   └── SchemaError      the database is newer than this code, or a migration failed
    └── SourceError          one source failed this poll; logged, stored, and the poll goes on
        ├── FetchError       network, HTTP status, size cap, timeout
        └── ParseError       nothing usable in the body

Only SourceError is absorbed by the poller; anything else is a bug and propagates.
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
