"""Benchmark of the PDF reports on a demo with 100,000 responses: one command, one table.

    python bench/reports.py [--responses 100000] [--repeat 5]

For a staff report, a branch report and the batch of every report it prints
the median total time, our own share (figures and HTML), and beside it the
time WeasyPrint alone takes for the same HTML, measured in the same run. It
then adds as many responses again to the *other* branches and times the
staff report once more: its time should not grow.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _median(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from feedback import create_app
    from feedback.pdf import PdfJob, render_in_process, renderer
    from feedback.reports import documents
    from feedback.services.demo import generate_responses, seed_demo
    from feedback.services.periods import current_period

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"INSTANCE_PATH": Path(tmp), "SECRET_KEY": "bench", "TESTING": True})
        store = app.extensions["feedback_store"]
        started = time.perf_counter()
        seed_demo(store, responses=args.responses, visits=40)
        print(f"Seeded {args.responses} responses in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        period = current_period("quarter").previous()
        rows = []
        with app.test_request_context():
            pool = renderer()
            pool.warm_up()
            member = store.directory.staff("central")[0]

            def staff_html():
                return documents.staff_report_html(store, member.code, period)

            def branch_html():
                return documents.branch_report_html(store, "central", period)

            def measure(label, make_html):
                cold_started = time.perf_counter()
                make_html()
                cold = time.perf_counter() - cold_started
                ours, html = _median(make_html, args.repeat)
                render, _pdf = _median(lambda: pool.render(PdfJob(html, page_size="A4")), args.repeat)
                alone, _pdf = _median(lambda: render_in_process(html, page_size="A4"), args.repeat)
                rows.append((label, ours + render, ours, alone, cold))

            render_in_process("<p>warm</p>")  # this process's WeasyPrint, for the 'alone' column
            measure("staff report (central)", staff_html)
            measure("branch report (central)", branch_html)

            with tempfile.TemporaryDirectory() as out:
                started = time.perf_counter()
                files = list(documents.report_files(store, period))
                ours = time.perf_counter() - started
                started = time.perf_counter()
                _zip, failures = documents.write_all_reports(store, period, Path(out))
                total = time.perf_counter() - started
                started = time.perf_counter()
                for f in files:
                    render_in_process(f.job.html, page_size="A4")
                alone = time.perf_counter() - started
                rows.append((f"batch: {len(files)} reports, 2 workers", total, ours, alone, None))
                assert not failures, failures

            # As many responses again, all in the other branches.
            others = [b for b in store.directory.branches() if b.slug != "central"]
            store.responses.add_many(generate_responses(
                others, store.directory.staff(), args.responses, now=datetime.now(UTC), rng=random.Random(7)))
            measure(f"staff report, +{args.responses} elsewhere", staff_html)
        pool.close()

    print(f"\nReports on a demo of {args.responses} responses, period {period.label} "
          f"(median of {args.repeat}; 'ours' = figures and HTML)\n")
    print(f"{'document':40} {'total s':>8} {'ours s':>8} {'ours %':>7} {'WeasyPrint alone s':>19} "
          f"{'first (cold) ours s':>20}")
    for label, total, ours, alone, cold in rows:
        print(f"{label:40} {total:8.3f} {ours:8.3f} {100 * ours / total:6.0f}% {alone:19.3f} "
              f"{'' if cold is None else f'{cold:.3f}':>20}")
    base, grown = rows[0][1], rows[-1][1]
    print(f"\nstaff report with other branches doubled / before: {grown / base:.2f}x")


if __name__ == "__main__":
    main()
