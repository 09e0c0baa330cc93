"""Over the demo, no label contradicts its evidence, and the profiles the demo was built with are found."""

from __future__ import annotations

from datetime import UTC, datetime

from feedback.evidence import staff_evidence
from feedback.evidence.audit import audit_labels
from feedback.services.demo import seed_demo
from feedback.services.periods import current_period


def test_no_label_over_the_demo_contradicts_its_evidence(app, store):
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # a fixed day: the demo is drawn from a seeded generator
    with app.test_request_context():
        seed_demo(store, now=now)
        months = current_period("month", now.date()).last(6)
        quarters = current_period("quarter", now.date()).last(2)
        audit = audit_labels(store, months + quarters)
        assert audit.reports == 12 * 8
        assert audit.strengths > 0 and audit.focus_areas > 0  # the rules do label, where the evidence says so
        assert (audit.focus_at_or_above_branch, audit.strength_below_branch, audit.against_shopper_evidence,
                audit.in_both_lists) == (0, 0, 0, 0)

        # The demo gives Sofie a genuine weakness in listening and Ahmed none: the last full quarter says so.
        quarter = current_period("quarter", now.date()).previous()
        by_name = {m.display_name: m for m in store.directory.staff()}
        sofie = staff_evidence(store, by_name["Sofie Nielsen"].code, quarter)
        assert "listening" in [label.id for label in sofie.focus_areas]
        ahmed = staff_evidence(store, by_name["Ahmed Hassan"].code, quarter)
        assert ahmed.focus_areas == []
