"""Work around a reference-count bug of the installed PySide6 on Python 3.11.

PySide6 6.12 returns ``None`` from void C++ methods (``QPainter.drawLine``, ``QObject.setObjectName``,
...) without taking a reference, as if ``None`` were immortal (it is from Python 3.12 on). On 3.11
each such call lowers ``None``'s count by one, and after a few thousand calls the interpreter
aborts with "none_dealloc: deallocating None". Painting 2,000 spans gets there in one frame.

``keep_none_alive()`` gives ``None`` a huge reference count once, which is what Python 3.12 does
for every immortal object. It is called when any reader module is imported; the application
should call it at start-up too, before the first window.
"""

from __future__ import annotations

import ctypes
import sys

_EXTRA_REFERENCES = 1 << 40
_done = False


def keep_none_alive() -> None:
    global _done
    if _done or sys.version_info >= (3, 12) or not hasattr(sys, "getrefcount"):
        return
    # ob_refcnt is the first field of every CPython object.
    ctypes.c_ssize_t.from_address(id(None)).value += _EXTRA_REFERENCES
    _done = True


keep_none_alive()
