"""The batch of every report: the same documents as one at a time, built as they are rendered, memory let go."""

from __future__ import annotations

import re

from feedback.evidence import cells
from feedback.reports import documents
from feedback.services.periods import parse_period

from .conftest import PERIOD


def _same_apart_from_ids(html: str) -> str:
    """A document's HTML without what differs on every build: chart ids and the creation time."""
    return re.sub(r"chart-\d+", "chart", re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "T", html))


def test_a_batchs_branch_and_board_reports_say_what_single_ones_say(app, store, known_branch):
    period = parse_period(PERIOD)
    with app.test_request_context():
        batch = {f.name: f.job.html for f in documents.report_files(store, period)}
        single = {"branch-central.pdf": documents.branch_report_html(store, "central", period),
                  "branch-riverside.pdf": documents.branch_report_html(store, "riverside", period),
                  f"system-{PERIOD}.pdf": documents.system_report_html(store, period),
                  "staff-central-maria-jensen-MARIA.pdf": documents.staff_report_html(store, "MARIA", period)}
    for name, html in single.items():
        assert _same_apart_from_ids(batch[name]) == _same_apart_from_ids(html), name
    assert "All branches" in batch["branch-central.pdf"]  # the system's figures are there to compare with


def test_the_batch_counts_its_documents_before_making_any_and_makes_them_one_by_one(app, store, known_branch):
    period = parse_period(PERIOD)
    with app.test_request_context():
        assert documents.report_count(store) == 5  # the board's, two branches', two staff members'
        assert documents.report_count(store, branches=["central"]) == 3  # no board report for some branches
        files = documents.report_files(store, period)
        first = next(files)
        assert first.name == f"system-{PERIOD}.pdf"
        # The board's document is made; nothing of Central's yet, and nothing of any branch kept.
        assert not [key for key in cells._cache if key[0] == str(store.data_dir)]
        assert len([first, *files]) == 5


def test_after_the_batch_no_branchs_months_are_kept(app, store, known_branch, tmp_path):
    period = parse_period(PERIOD)
    with app.test_request_context():
        _zip, failures = documents.write_all_reports(store, period, tmp_path / "out")
    assert failures == []
    assert not [key for key in cells._cache if key[0] == str(store.data_dir)]
