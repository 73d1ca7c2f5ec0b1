"""A real-browser load driver: N Chromium sessions click the demo pages' samples for S seconds.

``python -m dl_apps bench load --sessions N --seconds S [--task T ...] [--url URL] --json``
(also the engine of ``bench soak``).  Without ``--url`` it starts its own Streamlit server
on loopback (backend from ``DL_HUB_BACKEND``); with ``--url`` it drives that local URL
(e.g. the stack's proxy).  Only loopback addresses are accepted; the run is bounded in
sessions (at most :data:`MAX_SESSIONS`) and time (``seconds`` plus a grace for the last
answers, then every session is cancelled): it always stops by itself.

Each session is its own browser context (own cookies: its own Streamlit session, and its
own sticky route through a proxy) in one headless Debian Chromium.  It visits the tasks
in turn (each session starts at a different one; the first page by its link, the next ones
from the sidebar menu, as an attendee switches pages), and on each page clicks the page's
samples :data:`CLICKS_PER_VISIT` times (every session clicks at least once, even when its first
page opened after the deadline, as on a cold, slow machine), pausing about ``think_s`` seconds
after each answer (a user reading the result; 0 = click again at once, a saturating load).  The
sessions' starts are spread over one pause and each pause varies by ±50%
(:class:`dl_apps.tools.pacing.Pacing`; ``lockstep`` turns both off).  The time of one request
runs from the click to the end of the script run it caused: the server's ``script_finished`` message has arrived for
every run it started (``new_session``; :data:`RUNS_OBSERVER` reads both from the WebSocket) and Streamlit's ``data-test-script-state``
attribute shows no run going on; the page's result element must then be there.  A request is an error when no result appears or the page shows one
of the hub's failure boxes (:data:`ERROR_BOXES_JS`); ``exceptions`` counts Streamlit's
exception boxes.

Server memory (RSS of every ``streamlit run`` process of this machine, and of the Ray
Serve replicas when there are any) is sampled every second: start, peak and end.  So is CPU:
the overall row gives the server's (and the tier's) CPU milliseconds per answered request under
this load, beside the browsers' own (the driver's Chromium runs on the same machine: on a
workshop it runs on the attendees' laptops).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import os
import shlex
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable, Iterator
from urllib.parse import urlsplit

from dl_apps.stats import percentile
from dl_apps.tools.pacing import Pacing

MAX_SESSIONS = 32
MAX_SECONDS = 3600
MAX_THINK_S = 60.0
CLICKS_PER_VISIT = 3
GRACE_S = 90.0
RESULT_TIMEOUT_MS = 120_000
QUIET_MS = 250
RETRY_CLICK_MS = 5_000
MAX_RECLICKS = 3
# What the hub's ui.guard shows for a failure: st.error boxes, and st.warning boxes with the
# "error" icon (other warnings, e.g. "the model is not sure", are results).
ERROR_BOXES_JS = """() => document.querySelectorAll('[data-testid="stAlertContentError"]').length +
  [...document.querySelectorAll('[data-testid="stAlertContentWarning"]')].filter(
      (box) => [...box.querySelectorAll('[data-testid="stIconMaterial"]')].some((icon) => icon.textContent.trim() === 'error')).length"""
DEFAULT_TASKS = ("sentiment", "qa", "detection", "recommend")

# Counts, in the page, the script runs it shows (its script state going back to 'notRunning') and
# the runs the server starts and finishes: a ForwardMsg whose top-level field 4 (``new_session``, sent at the start of every run, fragment runs included) or
# field 6 (``script_finished``) is set, read from the protobuf bytes field by field. A run that
# starts and ends within one drawn frame (an answer kept in the session) never changes the state
# the page shows, but the server still reports it; and other messages (the session's status, the
# page's profile) can trail a run's end, so only a start proves that a click was taken.
RUNS_OBSERVER = """
window.__dlhubRuns = 0;
window.__dlhubStarted = 0;
window.__dlhubFinished = 0;
const lifecycleField = (data) => {
  if (!(data instanceof ArrayBuffer)) return 0;
  const bytes = new Uint8Array(data);
  let at = 0;
  const varint = () => {
    let value = 0, scale = 1;
    while (at < bytes.length) { const byte = bytes[at++]; value += (byte & 0x7f) * scale; scale *= 128; if (byte < 128) break; }
    return value;
  };
  while (at < bytes.length) {
    const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
    if (field === 4 || field === 6) return field;
    if (wire === 0) varint();
    else if (wire === 2) { const length = varint(); at += length; }  // not `at += varint()`: that adds to the old `at`
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else return 0;
  }
  return 0;
};
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener('message', (event) => {
      const field = lifecycleField(event.data);
      if (field === 4) window.__dlhubStarted += 1;
      if (field === 6) window.__dlhubFinished += 1;
    });
  }
};
new MutationObserver((records) => {
  for (const record of records) {
    const state = record.target.getAttribute('data-test-script-state');
    if (state === 'notRunning' && record.oldValue && record.oldValue !== 'notRunning') window.__dlhubRuns += 1;
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state'], attributeOldValue: true});
window.__dlhubScriptState = () => document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state');
// Every run the server started since `before` has finished, and the page shows no run going on.
window.__dlhubSettled = (before) => window.__dlhubFinished - before.finished >= window.__dlhubStarted - before.started &&
    window.__dlhubScriptState() === 'notRunning';
"""
ACTIVITY_JS = "() => ({runs: window.__dlhubRuns, started: window.__dlhubStarted, finished: window.__dlhubFinished})"
SCRIPT_STATE_JS = "() => window.__dlhubScriptState()"
# A click was taken: the server started a run, or the page shows one.
CLICK_TAKEN_JS = """(before) => window.__dlhubStarted > before.started || window.__dlhubRuns > before.runs ||
    window.__dlhubScriptState() !== 'notRunning'"""
SETTLED_JS = "(before) => window.__dlhubSettled(before)"
# A run has ended: one started since ``before``, and everything started has finished.
RUN_ENDED_JS = "(before) => window.__dlhubStarted > before.started && window.__dlhubSettled(before)"


class LoadError(ValueError):
    """Refused load-test settings (a non-loopback URL, too many sessions...)."""


def check_url(url: str) -> str:
    """``url`` without a trailing slash if it is http(s) on loopback; LoadError otherwise."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise LoadError(f"not an http URL: {url!r}")
    if host != "localhost":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise LoadError(f"the load driver only targets this machine's loopback addresses, not {host!r}")
    return url.rstrip("/")


# ------------------------------------------------------------------ the pages
@dataclass
class Recipe:
    """How one page is exercised: its URL path, and one interaction (click a sample, see the result)."""

    task: str
    title_key: str
    interact: Callable[[Any, int, "Clock"], Awaitable[bool]]


@dataclass
class Clock:
    """The timing of one interaction: set by :func:`click_and_settle`."""

    seconds: float = 0.0
    started: float = 0.0
    reclicks: int = 0  # clicks repeated because the first one started no script run
    silent_runs: int = 0  # clicks answered by the server whose run the page never showed as running

    def stop(self) -> None:
        self.seconds = time.perf_counter() - self.started


async def activity(page: Any) -> dict[str, int]:
    """The page's counters (:data:`RUNS_OBSERVER`): runs shown (``runs``), started (``started``) and finished (``finished``) by the server."""
    return await page.evaluate(ACTIVITY_JS)


async def click_and_settle(page: Any, locator: Any, clock: Clock) -> None:
    """Click, then wait until the script run the click caused has ended; time it in ``clock``.

    A click counts as taken when the server starts a run or the page shows one; a click with
    neither within ``RETRY_CLICK_MS`` is repeated (``clock.reclicks``). The run has ended when
    every run the server started has finished and the page shows no run going on."""
    before = await activity(page)
    clock.started = time.perf_counter()
    await locator.click()
    for _ in range(MAX_RECLICKS):  # a click that started no run (it landed while the page was busy) is repeated, as a user would
        try:
            await page.wait_for_function(CLICK_TAKEN_JS, arg=before, timeout=RETRY_CLICK_MS, polling=50)
            break
        except Exception:  # Playwright's TimeoutError
            clock.reclicks += 1
            await locator.click()
    await page.wait_for_function(RUN_ENDED_JS, arg=before, timeout=RESULT_TIMEOUT_MS, polling=50)
    clock.stop()
    if (await activity(page))["runs"] == before["runs"]:
        clock.silent_runs += 1
    # A click may cause more than one run (a sample stores its input, then st.rerun): the
    # request is over when no run starts or finishes within QUIET_MS of the last one's end.
    while True:
        settled = await activity(page)
        await page.wait_for_timeout(QUIET_MS)
        now, state = await activity(page), await page.evaluate(SCRIPT_STATE_JS)
        if (now["started"], now["finished"]) == (settled["started"], settled["finished"]) and state == "notRunning":
            return
        await page.wait_for_function(SETTLED_JS, arg=settled, timeout=RESULT_TIMEOUT_MS, polling=50)
        clock.stop()


async def click_until_visible(page: Any, locator: Any, target: Any, clock: Clock) -> None:
    """Click until ``target`` is visible and no script runs: for clicks whose script run is too quick
    to be seen (the page may go from idle to idle within one frame, so no run is counted)."""
    await locator.click()
    for _ in range(MAX_RECLICKS):
        try:
            await target.first.wait_for(state="visible", timeout=RETRY_CLICK_MS)
            break
        except Exception:  # Playwright's TimeoutError: the click took no effect
            clock.reclicks += 1
            await locator.click()
    await target.first.wait_for(state="visible", timeout=RESULT_TIMEOUT_MS)
    await page.wait_for_function(
        """() => document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'notRunning'""",
        timeout=RESULT_TIMEOUT_MS,
        polling=50,
    )
    await page.wait_for_timeout(QUIET_MS)


async def result_shown(locator: Any, clock: Clock, timeout_ms: int = 30_000) -> bool:
    """Wait for the result element (a click may cause more than one script run); stop the clock then."""
    if await locator.count() > 0:
        return True
    try:
        await locator.first.wait_for(state="visible", timeout=timeout_ms)
    except Exception:  # Playwright's TimeoutError: no result
        return False
    clock.stop()
    return True


def _sample_recipe(task: str, sample_keys: list[str], result: Callable[[Any], Any]) -> Recipe:
    from dl_apps.ui.i18n import t

    async def interact(page: Any, index: int, clock: Clock) -> bool:
        button = page.get_by_role("button", name=t(sample_keys[index % len(sample_keys)], "en"), exact=True)
        await click_and_settle(page, button, clock)
        return await result_shown(result(page), clock)

    return Recipe(task, f"{task}.title", interact)


def _qa_recipe() -> Recipe:
    from dl_apps.tasks import qa
    from dl_apps.ui.i18n import t

    passages = qa.samples()

    async def interact(page: Any, index: int, clock: Clock) -> bool:
        passage = passages[index % len(passages)]
        choosing = Clock()  # choosing the passage is not timed (no model runs), but its repeated clicks count
        question = passage["questions"][index % len(passage["questions"])]["question"]
        question_button = page.get_by_role("button", name=question, exact=True)
        await click_until_visible(page, page.get_by_role("button", name=t(f"qa.sample.{passage['id']}", "en"), exact=True), question_button, choosing)
        await click_and_settle(page, question_button, clock)
        clock.reclicks += choosing.reclicks
        return await result_shown(page.locator("mark.qa-answer"), clock)

    return Recipe("qa", "qa.title", interact)


def recipes() -> dict[str, Recipe]:
    """The pages the driver knows, by task."""
    from dl_apps.ui.i18n import t

    return {
        "sentiment": _sample_recipe(
            "sentiment",
            ["sentiment.sample.en_pos", "sentiment.sample.fr_neg", "sentiment.sample.en_neg_tricky", "sentiment.sample.fr_pos"],
            lambda page: page.get_by_text(t("sentiment.probabilities", "en")),
        ),
        "qa": _qa_recipe(),
        "detection": _sample_recipe(
            "detection",
            ["detection.sample.dog", "detection.sample.person", "detection.sample.horses", "detection.sample.coffee"],
            lambda page: page.get_by_role("button", name=t("detection.download", "en")),
        ),
        "recommend": _sample_recipe(
            "recommend",
            ["recommend.profile.scifi", "recommend.profile.family", "recommend.profile.crime", "recommend.profile.classics"],
            lambda page: page.get_by_role("heading", name=t("recommend.results", "en")),
        ),
    }


# ------------------------------------------------------------------- memory
def server_processes(front_pids: list[int] | None = None) -> dict[str, list[Any]]:
    """The front end's Streamlit servers (``front_pids``, else every ``streamlit run`` of this
    machine) and the Ray Serve model replicas, as psutil processes."""
    import psutil

    found: dict[str, list[Any]] = {"front": [], "tier": []}
    for process in psutil.process_iter(["cmdline", "name"]):
        try:
            cmdline = " ".join(process.info["cmdline"] or [])
        except (psutil.Error, TypeError):
            continue
        if front_pids is not None and process.pid in front_pids:
            found["front"].append(process)
        elif front_pids is None and "streamlit run" in cmdline:
            found["front"].append(process)
        elif cmdline.startswith("ray::ServeReplica") and "_tier" not in cmdline:
            found["tier"].append(process)
    return found


def browser_processes() -> list[Any]:
    """The headless Chromium processes of this machine (the driver's own browsers), as psutil processes."""
    import psutil

    found = []
    for process in psutil.process_iter(["name"]):
        name = (process.info["name"] or "").lower()
        if name.startswith(("chrom", "headless_shell")):
            found.append(process)
    return found


class MemorySampler:
    """Samples the RSS (MB) of the front-end and tier processes every ``every_s`` seconds in a thread,
    and the CPU seconds used by them and by the browsers since :meth:`mark_cpu` (or the start)."""

    def __init__(self, every_s: float = 1.0, front_pids: list[int] | None = None) -> None:
        self.every_s = every_s
        self.front_pids = front_pids
        self.samples: dict[str, list[float]] = {"front": [], "tier": []}
        self._cpu_base: dict[int, float] = {}  # CPU seconds a process had already used when counting began
        self._cpu_last: dict[int, tuple[str, float]] = {}  # latest CPU seconds seen per process, by kind
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop, name="load-memory", daemon=True)

    def sample(self) -> None:
        import psutil

        seen: list[tuple[str, Any]] = []
        for kind, processes in server_processes(self.front_pids).items():
            total = 0
            for process in processes:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    pass
                seen.append((kind, process))
            if processes:
                self.samples[kind].append(total / (1024 * 1024))
        seen += [("browser", process) for process in browser_processes()]
        with self._lock:
            for kind, process in seen:
                try:
                    times = process.cpu_times()
                except psutil.Error:
                    continue
                self._cpu_last[process.pid] = (kind, times.user + times.system)

    def mark_cpu(self) -> None:
        """Count CPU from now on (e.g. after a warm-up): processes alive now start from their current use."""
        self.sample()
        with self._lock:
            self._cpu_base = {pid: used for pid, (_, used) in self._cpu_last.items()}
            self._cpu_last = {}  # processes gone by now (a warm-up's browsers) no longer count

    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds (user + system) used per kind (front, tier, browser) since counting began;
        a process that started later counts from its start."""
        totals = {"front": 0.0, "tier": 0.0, "browser": 0.0}
        with self._lock:
            for pid, (kind, used) in self._cpu_last.items():
                totals[kind] += max(0.0, used - self._cpu_base.get(pid, 0.0))
        return totals

    def _loop(self) -> None:
        while not self._stop.wait(self.every_s):
            self.sample()

    def __enter__(self) -> MemorySampler:
        self.mark_cpu()
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sample()

    def figures(self) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for kind, prefix in (("front", "server"), ("tier", "tier")):
            values = self.samples[kind]
            out[f"{prefix}_rss_mb_start"] = round(values[0], 1) if values else None
            out[f"{prefix}_rss_mb_peak"] = round(max(values), 1) if values else None
            out[f"{prefix}_rss_mb_end"] = round(values[-1], 1) if values else None
        cpu = self.cpu_seconds()
        out["server_cpu_s"] = round(cpu["front"], 2)
        out["tier_cpu_s"] = round(cpu["tier"], 2) if self.samples["tier"] else None
        out["browser_cpu_s"] = round(cpu["browser"], 2)
        return out


# ----------------------------------------------------------------- sessions
@dataclass
class TaskTally:
    sessions: set[int] = field(default_factory=set)
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    exceptions: int = 0
    reclicks: int = 0
    silent_runs: int = 0
    messages: list[str] = field(default_factory=list)


async def open_page(page: Any, base_url: str, task: str, first: bool) -> None:
    """Open a task's page as an attendee would: the first time by its link, then from the sidebar menu
    (a page switch inside the same Streamlit session, not a reload of the whole app)."""
    link = page.locator(f'[data-testid="stSidebarNavLink"][href$="/{task}"]')
    if first or await link.count() == 0:
        await page.goto(f"{base_url}/{task}?lang=en")
        return
    await link.first.click()


async def run_session(
    browser: Any, base_url: str, index: int, tasks: list[str], deadline: float, tallies: dict[str, TaskTally], pacing: Pacing,
    reduced_motion: bool = False,
) -> None:
    """One browser session: visit the tasks in turn from ``index``, clicking samples until ``deadline``
    (``pacing``: when it starts and how long it reads each answer; ``reduced_motion``: the page is told the
    visitor prefers reduced motion, as the system setting of that name does)."""
    from dl_apps.ui.i18n import t

    known = recipes()
    context = await browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", reduced_motion="reduce" if reduced_motion else "no-preference"
    )
    await context.add_init_script(RUNS_OBSERVER)
    page = await context.new_page()
    page.set_default_timeout(RESULT_TIMEOUT_MS)
    visit = clicks_made = 0
    try:
        await asyncio.sleep(pacing.start_delay_s())
        while time.monotonic() < deadline:
            task = tasks[(index + visit) % len(tasks)]
            visit += 1
            recipe, tally = known[task], tallies[task]
            tally.sessions.add(index)
            try:
                await open_page(page, base_url, task, first=visit == 1)
                await page.get_by_role("heading", name=t(recipe.title_key, "en")).first.wait_for()
                await page.wait_for_function(
                    """() => document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'notRunning'"""
                )
            except Exception as error:  # the page did not open: an error of this task
                tally.errors += 1
                tally.messages.append(f"open: {type(error).__name__}: {str(error)[:120]}")
                continue
            for click in range(CLICKS_PER_VISIT):
                if time.monotonic() >= deadline and clicks_made:  # a slow first page still gets its one click
                    break
                clicks_made += 1
                clock = Clock()
                try:
                    shown = await recipe.interact(page, index + visit * CLICKS_PER_VISIT + click, clock)
                    bad = int(await page.evaluate(ERROR_BOXES_JS))
                    crashed = await page.locator('[data-testid="stException"]').count()
                except Exception as error:
                    tally.errors += 1
                    tally.messages.append(f"click: {type(error).__name__}: {str(error)[:120]}")
                    break
                tally.exceptions += crashed
                tally.reclicks += clock.reclicks
                tally.silent_runs += clock.silent_runs
                if shown and not bad and not crashed:
                    tally.latencies.append(clock.seconds)
                else:
                    tally.errors += 1
                    tally.messages.append("no result" if not shown else "error box on the page")
                pause_s = pacing.pause_s()
                if pause_s > 0:
                    await page.wait_for_timeout(pause_s * 1000.0)
    finally:
        await context.close()


@contextlib.contextmanager
def idle_executable(executable: str, idle: bool) -> Iterator[str]:
    """``executable`` itself, or (``idle``) a temporary wrapper that starts it under ``chrt --idle``
    (every Chromium process and thread inherits the policy)."""
    if not idle:
        yield executable
        return
    with tempfile.TemporaryDirectory(prefix="dl_hub_idle_") as folder:
        wrapper = Path(folder) / "chromium"
        wrapper.write_text(f'#!/bin/sh\nexec chrt --idle 0 {shlex.quote(executable)} "$@"\n')
        wrapper.chmod(0o700)
        yield str(wrapper)


async def drive(
    base_url: str, sessions: int, seconds: float, tasks: list[str], think_s: float = 0.0, browsers_idle: bool = False,
    reduced_motion: bool = False, lockstep: bool = False,
) -> dict[str, TaskTally]:
    """Run ``sessions`` concurrent sessions for ``seconds`` (then cancel what is left after a grace).

    ``browsers_idle``: the Chromium processes run under Linux's ``SCHED_IDLE`` policy, so that
    they only get the CPU time the server leaves, as when the browsers are on the attendees'
    laptops (a ``nice`` level would not do: Chromium sets its processes' own nice levels).
    ``reduced_motion``: every session prefers reduced motion (no animations: see
    :data:`dl_apps.ui.page.REDUCED_MOTION_CSS`).  ``think_s`` and ``lockstep``: see :class:`Pacing`.
    """
    from playwright.async_api import async_playwright

    from dl_apps.tools.browser import CHROMIUM_ARGS, find_chromium

    executable = find_chromium()
    if executable is None:
        raise RuntimeError("no Chromium found: apt-get install chromium (scripts/setup.sh --test does this)")
    tallies = {task: TaskTally() for task in tasks}
    with idle_executable(executable, browsers_idle) as launched:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=launched, headless=True, args=CHROMIUM_ARGS)
            try:
                deadline = time.monotonic() + seconds
                workers = [asyncio.create_task(run_session(browser, base_url, i, tasks, deadline, tallies, Pacing(i, sessions, think_s, lockstep), reduced_motion)) for i in range(sessions)]
                done, pending = await asyncio.wait(workers, timeout=seconds + GRACE_S)
                for worker in pending:
                    worker.cancel()
                for worker in done:
                    if worker.exception() is not None:
                        tallies[tasks[0]].messages.append(f"session: {worker.exception()!r}"[:160])
            finally:
                await browser.close()
    return tallies


def rows_from(tallies: dict[str, TaskTally], backend: str, wall_s: float, memory: dict[str, Any], think_s: float = 0.0) -> list[dict[str, Any]]:
    """One row per task (and one ``all`` row) in the bench format."""
    rows = []
    everything = TaskTally()
    for task, tally in tallies.items():
        everything.sessions |= tally.sessions
        everything.latencies += tally.latencies
        everything.errors += tally.errors
        everything.exceptions += tally.exceptions
        everything.reclicks += tally.reclicks
        everything.silent_runs += tally.silent_runs
        everything.messages += tally.messages
    overall = "all" if len(tallies) > 1 else next(iter(tallies), "all")
    for task, tally in [*tallies.items(), *([("all", everything)] if len(tallies) > 1 else [])]:
        per_request: dict[str, Any] = {}
        if task == overall and tally.latencies:  # CPU is measured for the whole run: per request only on the overall row
            for kind in ("server", "tier", "browser"):
                used = memory.get(f"{kind}_cpu_s")
                per_request[f"{kind}_cpu_ms_per_request"] = round(1000.0 * used / len(tally.latencies), 1) if used is not None else None
        rows.append(
            {
                "task": task,
                "benchmark": "load",
                "backend": backend,
                "sessions": len(tally.sessions),
                "requests": len(tally.latencies),
                "errors": tally.errors,
                "exceptions": tally.exceptions,
                "reclicks": tally.reclicks,
                "silent_runs": tally.silent_runs,
                "p50_s": round(percentile(tally.latencies, 50), 2) if tally.latencies else None,
                "p95_s": round(percentile(tally.latencies, 95), 2) if tally.latencies else None,
                "requests_per_s": round(len(tally.latencies) / wall_s, 2) if wall_s > 0 else None,
                "think_s": think_s,
                "wall_s": round(wall_s, 1),
                **memory,
                **per_request,
                "error_samples": tally.messages[:3],
            }
        )
    return rows


def run_in_fresh_loop(coroutine: Awaitable[Any]) -> Any:
    """``asyncio.run(coroutine)`` in a thread of its own, so it also works where an event loop is
    already running in this thread (Playwright's sync API, Jupyter, a test session's browser)."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the caller's thread
            outcome["error"] = error

    worker = threading.Thread(target=target, name="load-driver", daemon=True)
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def run_load(
    sessions: int,
    seconds: float,
    tasks: list[str] | None = None,
    url: str | None = None,
    backend: str | None = None,
    server_pids: list[int] | None = None,
    warmup_s: float = 0.0,
    think_s: float = 0.0,
    browsers_idle: bool = False,
    reduced_motion: bool = False,
    lockstep: bool = False,
) -> list[dict[str, Any]]:
    """The whole load test (see the module docstring); returns the rows.

    ``server_pids``: the front-end processes whose memory is reported when ``url`` is given
    (e.g. the stack's Streamlit replicas); default, every ``streamlit run`` of the machine.
    ``warmup_s``: first run the same sessions that long and discard their figures (models
    loaded on first use, front-end caches); memory "start" is still taken before it.
    ``think_s``: each session's mean pause after every answer (0: the next click at once);
    ``lockstep``: the sessions start together and pause exactly ``think_s`` (see :class:`Pacing`); rows carry it.
    ``browsers_idle``: the browsers get only the CPU the server leaves (see :func:`drive`); rows carry it.
    ``reduced_motion``: the sessions prefer reduced motion (see :func:`drive`); rows carry it.
    Rows also say whether the server shares results between sessions (``shared_results``, from
    ``DL_HUB_SHARED_RESULTS``, which the server started here inherits; None for a ``url``).
    """
    from dl_apps import shared_results
    from dl_apps.tools.browser import streamlit_server

    if not 1 <= sessions <= MAX_SESSIONS:
        raise LoadError(f"sessions must be between 1 and {MAX_SESSIONS}")
    if not 1 <= seconds <= MAX_SECONDS or not 0 <= warmup_s <= MAX_SECONDS:
        raise LoadError(f"seconds and warm-up must be between 1 and {MAX_SECONDS}")
    if not 0 <= think_s <= MAX_THINK_S:
        raise LoadError(f"think time must be between 0 and {MAX_THINK_S} s")
    tasks = list(tasks or DEFAULT_TASKS)
    unknown = [task for task in tasks if task not in recipes()]
    if unknown:
        raise LoadError(f"no load recipe for {unknown}; known: {sorted(recipes())}")
    backend = backend or os.environ.get("DL_HUB_BACKEND", "embedded")

    def measure(base_url: str, pids: list[int] | None) -> list[dict[str, Any]]:
        with MemorySampler(front_pids=pids) as memory:
            if warmup_s > 0:
                run_in_fresh_loop(drive(base_url, sessions, warmup_s, tasks, think_s, browsers_idle, reduced_motion, lockstep))
                memory.mark_cpu()
            started = time.perf_counter()
            tallies = run_in_fresh_loop(drive(base_url, sessions, seconds, tasks, think_s, browsers_idle, reduced_motion, lockstep))
            wall_s = time.perf_counter() - started
        rows = rows_from(tallies, backend, wall_s, memory.figures(), think_s)
        for row in rows:
            row["browsers_idle"] = browsers_idle
            row["reduced_motion"] = reduced_motion
            row["lockstep"] = lockstep
            row["shared_results"] = None if url else shared_results.enabled()
        return rows

    if url:
        return measure(check_url(url), server_pids)
    with streamlit_server() as server:
        return measure(server.url, [server.process.pid])


def format_rows(rows: list[dict[str, Any]]) -> str:
    """A Markdown table of load rows."""
    lines = [
        "| task | backend | sessions | requests | errors | exceptions | p50 s | p95 s | req/s | server MB start/peak/end | tier MB start/peak/end "
        "| server CPU ms/request | browser CPU ms/request |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]

    def trio(row: dict[str, Any], prefix: str) -> str:
        values = [row.get(f"{prefix}_rss_mb_{k}") for k in ("start", "peak", "end")]
        return "/".join(f"{v:.0f}" for v in values) if all(v is not None for v in values) else "-"

    for row in rows:
        lines.append(
            f"| {row['task']} | {row['backend']} | {row['sessions']} | {row['requests']} | {row['errors']} | {row['exceptions']} | "
            f"{row['p50_s']} | {row['p95_s']} | {row['requests_per_s']} | {trio(row, 'server')} | {trio(row, 'tier')} | "
            f"{row.get('server_cpu_ms_per_request') or '-'} | {row.get('browser_cpu_ms_per_request') or '-'} |"
        )
    return "\n".join(lines)
