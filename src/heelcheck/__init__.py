"""heelcheck: a free, anonymous two-minute heel-pain self-evaluation.

The public API is the engine's (:mod:`heelcheck.engine`); the web site lives in
:mod:`heelcheck.web` and is imported only when Django is wanted.
"""

from .engine import *  # noqa: F403
from .engine import __all__ as __all__

__version__ = "0.1.0"
