"""newsbot's core: settings, storage, sources, classification, matching, delivery, scheduling.

PTB 22 deprecates integer time periods and warns whenever a RetryAfter is built; we opt in to
its timedelta behaviour (our code reads both) so flood-control replies don't spam the logs.
"""

import os

os.environ.setdefault("PTB_TIMEDELTA", "true")
