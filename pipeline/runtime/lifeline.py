"""Child processes that end with their parent, however the parent ends.

A run killed with `kill -9` runs no cleanup: nothing tells its workers to stop. Workers
are forked by the forkserver, so the forkserver is their parent, and each of them holds
the forkserver's "alive" pipe and the resource tracker's pipe open: workers, forkserver
and tracker then keep each other running, reparented to init, indefinitely. So every
link of the chain watches the one above it:

- the forkserver watches the run (`bind_forkserver`, run when the forkserver imports this
  module from its preload list): a thread that sees its parent change ends it. The
  forkserver only waits in `select` between forks, so the thread always gets to run;
- each worker is bound to the forkserver (`die_with_parent`): on Linux by the kernel
  (`prctl(PR_SET_PDEATHSIG, SIGKILL)`), which kills it even in the middle of a long C
  call that holds the GIL; elsewhere (and as a second line) by the same watching thread;
- the resource tracker exits by itself once every holder of its pipe has ended.

`PR_SET_PDEATHSIG` fires when the *thread* that forked the child ends, not its process:
right for workers (the forkserver forks from its only thread), wrong for the forkserver
(the run may start it from a short-lived thread), which is why the forkserver is only
watched.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from types import FrameType

POLL_S = 0.2
"""How often a watching thread looks at its parent: how late a child may outlive it."""
_PR_SET_PDEATHSIG = 1
"""From <linux/prctl.h>."""


def die_with_parent() -> bool:
    """End this process when its parent ends. True if the kernel enforces it (Linux),
    False if only a watching thread does (it cannot run while C code holds the GIL)."""
    parent = os.getppid()
    enforced = _parent_death_signal()
    if os.getppid() != parent:  # the parent ended before the signal was armed
        os._exit(1)
    watch_parent(parent)
    return enforced


def watch_parent(parent: int) -> None:
    """Start a daemon thread that kills this process once its parent is no longer
    `parent` (an orphan is adopted by init or a subreaper: its parent id changes)."""
    threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_S)
    os.kill(os.getpid(), signal.SIGKILL)


def _parent_death_signal() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def bind_forkserver() -> bool:
    """Watch the run from the forkserver when the forkserver is importing this module
    (its preload list names it first); anywhere else, do nothing. True if bound."""
    from multiprocessing import forkserver

    frame: FrameType | None = sys._getframe()
    while frame is not None:
        if frame.f_code is forkserver.main.__code__:
            watch_parent(os.getppid())
            return True
        frame = frame.f_back
    return False


bind_forkserver()
