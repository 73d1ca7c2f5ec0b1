"""The load driver's pieces that need no browser: the idle-browser wrapper, the servers' malloc setting, the sessions' pacing."""

from __future__ import annotations

import os
import subprocess
import sys

from dl_apps.tools import load, pacing


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


def test_sessions_start_spread_over_one_pause_in_their_order():
    delays = [pacing.Pacing(index, 8, think_s=3.0).start_delay_s() for index in range(8)]
    assert delays[0] == 0.0 and delays == sorted(delays) and len(set(delays)) == 8
    assert max(delays) < 3.0


def test_pauses_vary_around_the_think_time_and_repeat_from_run_to_run():
    first, again, other = (pacing.Pacing(index, 8, think_s=3.0) for index in (2, 2, 5))
    pauses = [first.pause_s() for _ in range(400)]
    assert all(1.5 <= pause <= 4.5 for pause in pauses)
    assert 2.8 < sum(pauses) / len(pauses) < 3.2  # centred on the think time
    assert max(pauses) - min(pauses) > 2.0  # spread, not one value
    assert pauses == [again.pause_s() for _ in range(400)]  # seeded by the session's number
    assert pauses != [other.pause_s() for _ in range(400)]


def test_lockstep_and_no_think_time_keep_the_plain_pauses():
    lockstep = pacing.Pacing(3, 8, think_s=3.0, lockstep=True)
    assert lockstep.start_delay_s() == 0.0 and {lockstep.pause_s() for _ in range(20)} == {3.0}
    saturating = pacing.Pacing(3, 8, think_s=0.0)
    assert saturating.start_delay_s() == 0.0 and saturating.pause_s() == 0.0
