"""Audit every label of every staff report over the demo: all staff x the last 8 months and 8 quarters.

Prints how many labels contradict their own evidence (all four columns must be 0) beside how many labels
there are, and, as the baseline, what the old rule (a person's two highest and two lowest of their own
scores) gives on the same data.

    .venv/bin/python bench/label_audit.py [--responses 5000] [--visits 72]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feedback import create_app  # noqa: E402
from feedback.evidence.audit import LabelAudit, audit_labels  # noqa: E402
from feedback.evidence.staff import staff_evidence  # noqa: E402
from feedback.services.demo import seed_demo  # noqa: E402
from feedback.services.periods import current_period  # noqa: E402
from feedback.store import current_store  # noqa: E402


def ranked_own_scores(store, periods) -> LabelAudit:
    """The old rule, for comparison: top two and bottom two of a person's own guest scores."""
    audit = LabelAudit()
    for member in store.directory.staff():
        for period in periods:
            ev = staff_evidence(store, member.code, period)
            scored = [b for b in ev.behaviours if b.guest is not None and b.guest.mean is not None]
            take = min(2, len(scored) // 2) if len(scored) > 1 else len(scored)
            best = sorted(scored, key=lambda b: -b.guest.mean)[:take]
            worst = sorted(scored, key=lambda b: b.guest.mean)[:take] if len(scored) > 1 else []
            audit.reports += 1
            audit.strengths += len(best)
            audit.focus_areas += len(worst)
            audit.in_both_lists += len({b.id for b in best} & {b.id for b in worst})
            for b in worst:
                audit.focus_at_or_above_branch += b.guest.reference is not None and b.guest.mean >= b.guest.reference
                audit.against_shopper_evidence += b.shopper.seen_every_time
            for b in best:
                audit.strength_below_branch += b.guest.reference is not None and b.guest.mean < b.guest.reference
                audit.against_shopper_evidence += b.shopper.missed > 0
    return audit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=5000)
    parser.add_argument("--visits", type=int, default=72)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"INSTANCE_PATH": Path(tmp), "TESTING": True, "BACKUP_INTERVAL_HOURS": 0})
        with app.app_context(), app.test_request_context():
            store = current_store()
            seed_demo(store, responses=args.responses, visits=args.visits)
            today = datetime.now(UTC).date()
            months = current_period("month", today).last(8)
            quarters = current_period("quarter", today).last(8)
            rows = [("evidence rules", audit_labels(store, months + quarters)),
                    ("old rule: ranked own scores", ranked_own_scores(store, months + quarters))]
    header = ("rule", "reports", "strengths", "focus areas", "focus >= branch", "strength < branch",
              "against shoppers", "in both lists")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for name, a in rows:
        print(" | ".join(str(x) for x in (name, a.reports, a.strengths, a.focus_areas, a.focus_at_or_above_branch,
                                          a.strength_below_branch, a.against_shopper_evidence, a.in_both_lists)))
    if rows[0][1].failures:
        raise SystemExit("labels contradict their evidence")


if __name__ == "__main__":
    main()
