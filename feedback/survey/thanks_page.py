"""The QR survey's thank-you page, rendered once for what it shows and kept.

Every guest's answer ends on this page, and rendering it (a template
chain, translations, a date in the guest's language) was a fifth of the
cost of an answer. What it shows depends only on the branch, the guest's
language, the day and two facts about the answer (new or already had; a
follow-up asked for), so the page for those is kept in the process, a few
hundred at most (the app owns them), and a renamed branch gets its own at once (the branch's
whole record is in the key). Nothing about the guest is in it: no token,
no form, no name.

A page that must show a flashed message, or a development server that
reloads templates, is rendered afresh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date

from flask import current_app, render_template, session

__all__ = ["thanks_page"]

_KEPT = 512
_lock = threading.Lock()


def thanks_page(target, result, language: str, answered: date) -> str:
    def render() -> str:
        return render_template("survey/thanks.html", target=target, result=result, answered=answered)

    if current_app.jinja_env.auto_reload or "_flashes" in session:
        return render()
    key = (language, repr(target.branch), answered.isoformat(), bool(result.created), result.followup is not None)
    with _lock:
        pages = current_app.extensions.setdefault("feedback_thanks_pages", OrderedDict())
        page = pages.get(key)
        if page is not None:
            pages.move_to_end(key)
            return page
    page = render()
    with _lock:
        pages[key] = page
        while len(pages) > _KEPT:
            pages.popitem(last=False)
    return page
