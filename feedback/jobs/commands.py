"""``flask --app wsgi worker``: run the background worker (report batches, e-mail, alerts)."""

from __future__ import annotations

import logging

import click

from . import current_jobs

__all__ = ["COMMANDS"]


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Worker threads (a report batch takes one).")
def worker_command(workers: int) -> None:
    """Run the background worker until stopped: `make run` starts it beside gunicorn."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(name)s: %(message)s")
    jobs = current_jobs()
    # After an upgrade or a restore no figures may be kept yet: work them out before a manager asks.
    jobs.enqueue("keep_figures")
    consumer = jobs.consumer(workers=workers)
    consumer.run()


COMMANDS: list = [worker_command]
