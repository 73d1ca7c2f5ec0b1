"""A short soak in CI: real browser sessions on mixed pages; no errors, memory reported per minute.

The 30-minute run with 8 sessions is `python -m dl_apps bench soak --sessions 8 --minutes 30`
(figures in the README); this is its bounded, one-minute version.
"""

import pytest

from dl_apps.tools import soak


@pytest.mark.e2e
@pytest.mark.slow
def test_one_minute_soak_has_no_errors_and_reports_memory():
    row = soak.run_soak(sessions=2, minutes=1.0, tasks=["sentiment", "recommend"], think_s=1.0)
    assert row["requests"] > 0 and row["think_s"] == 1.0
    assert row["errors"] == 0 and row["exceptions"] == 0, row["per_page"]
    assert len(row["server_rss_mb_per_minute"]) == 1
    assert row["server_rss_mb_peak"] >= row["server_rss_mb_start"] > 0


def test_soak_refuses_unbounded_runs():
    from dl_apps.tools.load import LoadError

    with pytest.raises(LoadError):
        soak.run_soak(sessions=2, minutes=0)
    with pytest.raises(LoadError):
        soak.run_soak(sessions=1000, minutes=1)
    with pytest.raises(LoadError):
        soak.run_soak(sessions=2, minutes=1, think_s=-1)
    with pytest.raises(LoadError):
        soak.run_soak(sessions=2, minutes=1, think_s=3600)
    assert soak.memory_timeline([100.0] * 130, 1.0, 2) == [100.0, 100.0]
