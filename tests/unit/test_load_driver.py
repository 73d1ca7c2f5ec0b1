"""The load driver's pieces that need no browser: the idle-browser wrapper, and the servers' malloc setting."""

from __future__ import annotations

import os
import subprocess
import sys

from dl_apps.tools import load


def _run_wrapped(idle: bool) -> tuple[str, int]:
    with load.idle_executable(sys.executable, idle) as launched:
        shown = subprocess.run([launched, "-c", "import os; print(os.sched_getscheduler(0))"], capture_output=True, text=True, timeout=60)
        return launched, int(shown.stdout.strip())


def test_without_idle_the_browser_is_started_as_it_is():
    launched, policy = _run_wrapped(idle=False)
    assert launched == sys.executable
    assert policy == os.sched_getscheduler(0)


def test_idle_browsers_run_under_sched_idle_and_the_wrapper_is_removed():
    launched, policy = _run_wrapped(idle=True)
    assert launched != sys.executable
    assert policy == os.SCHED_IDLE
    assert not os.path.exists(launched)  # a temporary wrapper, gone after the run


def test_every_way_of_starting_the_server_limits_the_malloc_arenas_alike():
    from dl_apps.registry import REPO_ROOT
    from dl_apps.tools import browser

    for script in ("scripts/start.sh", "scripts/stack.sh"):
        text = (REPO_ROOT / script).read_text()
        assert f'export MALLOC_ARENA_MAX="${{MALLOC_ARENA_MAX:-{browser.SERVER_MALLOC_ARENAS}}}"' in text, script
