"""A command that writes one report renders it without a pool, in a render process forked as it starts,
within the same time and memory limits as the pool's (run in a fresh interpreter: a one-thread command)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

HUGE_TABLE = ('"<table>" + "".join(f"<tr><td>{i}</td><td>{\'word \' * 30}</td></tr>" for i in range(20000))'
              ' + "</table>"')


def _run(body: str) -> str:
    script = textwrap.dedent("""
        import os
        from feedback import pdf

        def fails(job, **limits):
            with pdf.render_here(**limits) as here:
                assert here.forked is not None and here.forked.pid != os.getpid()
                try:
                    here.render(job)
                except pdf.PdfRenderError as exc:
                    small = here.render(pdf.PdfJob("<p>small</p>"))  # the next document still renders
                    assert small.startswith(b"%PDF")
                    return str(exc)
            raise AssertionError("no limit was hit")
    """) + textwrap.dedent(body)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_one_report_renders_in_a_forked_process_and_the_command_goes_on():
    out = _run("""
        with pdf.render_here() as here:
            first = here.render(pdf.PdfJob("<p>Hello from the forked renderer</p>", name="hello"))
            pid = here.forked.pid
        print(first[:5].decode(), pid != os.getpid(), pdf._renderers == {}, here.forked is None)
    """)
    assert out.split() == ["%PDF-", "True", "True", "True"]  # a PDF, another process, no pool, nothing left


def test_a_runaway_document_is_stopped_at_the_time_limit():
    out = _run(f"""
        print(fails(pdf.PdfJob({HUGE_TABLE}, name="the huge report"), timeout=1.0))
    """)
    assert "the huge report took longer than 1 s to render and was stopped" in out


def test_a_document_beyond_the_memory_limit_fails_clearly():
    out = _run(f"""
        print(fails(pdf.PdfJob({HUGE_TABLE}, name="the huge report"), timeout=120, memory_mb=150))
    """)
    assert "memory" in out and "the huge report" in out
