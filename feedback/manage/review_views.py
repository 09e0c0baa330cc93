"""The review queue of the manager console: answers held for review, and the manager's decision.

For managers of the answer's branch and admins. Thin, like every console
view: the ``review`` service finds, masks and decides; these views check the
user's branches and render.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..model import utc_now
from ..services.review import ReviewError, decide, held_answer, held_answers
from ..store import current_store
from .access import manager_required, visible_branches
from .forms import ReviewDecisionForm
from .views import bp

#: What each hold reason means, for the person deciding.
REASON_LABELS = {
    "burst": _l("one of several identical low scores about one person within an hour"),
    "address_volume": _l("many answers from one connection in a short time"),
    "form_token": _l("sent without a valid form token (a page not shown by us, out of date, or sent again by a "
                     "program)"),
}


def _branches() -> dict[str, object]:
    return {b.slug: b for b in visible_branches()}


@bp.get("/review/")
@manager_required
def review_queue():
    branches = _branches()
    items = held_answers(current_store(), branches, language=str(get_locale()))
    return render_template("manage/review_queue.html", items=items, branches=branches, reasons=REASON_LABELS)


def _render_answer(response_id: str, form: ReviewDecisionForm, status: int = 200):
    branches = _branches()
    try:
        item = held_answer(current_store(), response_id, branches=branches, language=str(get_locale()))
    except ReviewError:
        abort(404)
    return render_template("manage/review_answer.html", item=item, form=form, branch=branches[item.response.branch],
                           reasons=REASON_LABELS), status


@bp.get("/review/<response_id>")
@manager_required
def review_answer(response_id: str):
    return _render_answer(response_id, ReviewDecisionForm(formdata=None))


@bp.post("/review/<response_id>")
@manager_required
def review_decide(response_id: str):
    form = ReviewDecisionForm()
    if not form.validate_on_submit():
        return _render_answer(response_id, form, 400)
    try:
        decided = decide(current_store(), response_id, form.decision.data, branches=_branches(),
                         by=current_user.id, now=utc_now(), note=form.note.data or "")
    except ReviewError:
        abort(404)
    flash(_("Confirmed: the answer now counts in the figures.") if decided.review == "confirmed"
          else _("Discarded: the answer stays stored but counts in no figure."))
    return redirect(url_for("manage.review_queue"))
