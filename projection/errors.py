"""One exception type for mistakes a user can fix.

The command line and the app show its message as a paragraph, never a
traceback; anything else that escapes is a bug in this package.
"""


class ProjectionError(Exception):
    """A user-facing error: bad input, a missing model or package, a bad option."""
