"""The installed version of a library, for the cache keys.

``importlib.metadata`` answers this, but importing it and scanning every distribution on the
path costs 20–35 ms at each start-up, a tenth of a build's imports; the name of the
library's ``.dist-info`` folder says the same in one directory listing per path entry. Where no
such folder is found (an egg, a zip on the path) ``importlib.metadata`` is asked after all.
"""

from __future__ import annotations

import os
import re
import sys

_SEPARATORS = re.compile(r"[-_.]+")


def _normal(name: str) -> str:
    """A distribution's name as its metadata folder spells it, compared case-blind (PEP 503)."""
    return _SEPARATORS.sub("_", name).lower()


def installed_version(name: str) -> str | None:
    """The version of the distribution ``name`` (the first one on ``sys.path``, as Python would
    import it), or None where it is not installed."""
    want = _normal(name)
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            if folder.endswith(".dist-info"):
                dist, _, version = folder[: -len(".dist-info")].partition("-")
                if version and _normal(dist) == want:
                    return version
    from importlib.metadata import PackageNotFoundError, version as metadata_version

    try:
        return metadata_version(name)
    except PackageNotFoundError:
        return None
