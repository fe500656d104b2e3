"""Domain errors. The CLI turns each into one line: what went wrong, where, what to do."""


class EditionError(Exception):
    """Bad input or configuration a user can fix. ``str(err)`` is the whole one-line message."""


class SourceError(EditionError):
    """A source document cannot be read (empty, truncated, encrypted, image-only, wrong encoding)."""


class DataFileError(EditionError):
    """A glossary or translation-memory YAML file is malformed, off-schema or in conflict."""


class ValidationFailed(EditionError):
    """A document or data file does not match its JSON Schema. ``errors`` holds one line per problem."""

    def __init__(self, errors: list[str]):
        super().__init__(errors[0] if errors else "validation failed")
        self.errors = errors
