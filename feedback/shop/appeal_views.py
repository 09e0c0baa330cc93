"""Reviewers decide appeals: a staff member asked for an approved visit to be reviewed again.

The queue lists pending appeals, oldest first; the decision form is on the
visit's page. Upheld, the visit stops counting; rejected, it stays; either
way the outcome is in the visit's audit trail.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..auth.session import role_required
from ..manage.coaching_forms import AppealDecisionForm, attach_error
from ..services import shopping, visit_appeals
from ..services.scenarios import default_scenarios
from ..store import current_store
from .views import _me, _review_form, bp


@bp.get("/appeals")
@role_required("reviewer")
def appeals():
    return render_template("shop/appeals.html", appeals=visit_appeals.pending_appeals(current_store(), _me()),
                           scenarios=default_scenarios())


@bp.post("/visits/<visit_id>/appeal-decision")
@role_required("reviewer")
def appeal_decision(visit_id: str):
    store, me = current_store(), _me()
    form = AppealDecisionForm()
    if form.validate_on_submit():
        try:
            visit_appeals.decide_appeal(store, visit_id=visit_id, upheld=form.decision.data == "upheld",
                                        note=form.decision_note.data, by=me)
        except visit_appeals.AppealNotAllowed:
            abort(404)
        except visit_appeals.AppealError as exc:
            attach_error(form, exc.field, exc.message)
        except visit_appeals.VisitConflictError:
            flash(_("This visit changed meanwhile; here it is as it stands."))
            return redirect(url_for("shop.visit_detail", visit_id=visit_id))
        else:
            flash(_("Decision recorded in the visit's audit trail."))
            return redirect(url_for("shop.appeals"))
    try:
        detail = shopping.visit_detail(store, visit_id, me)
    except shopping.VisitNotFound:
        abort(404)
    return render_template("shop/visit_detail.html", detail=detail, form=_review_form(detail),
                           appeal_form=form), 400
