"""A visit that agrees with itself: the accuracy of the answer and the rubric items that judge it.

A shopper records the accuracy of the answer (correct, partly correct,
incorrect, appropriately referred) apart from the rubric, and the rubric has an
item for it too ("Found an accurate answer"). When the two disagree, a report
could print 100 % beside "incorrect". So :func:`contradictions` names each
disagreement for the form to show next to its fields (at submission and at
review), and :func:`consistent_answers` is what every score is computed from:
for visits stored before the check existed, the accuracy, judged on its own,
wins. A correct referral is the right answer when the library is not the
answer: it counts as success for the accuracy item and the referral item, never
as a critical miss.
"""

from __future__ import annotations

from .rubric import Rubric, VisitScore, score_visit

__all__ = ["EXPECTED_ITEM_ANSWER", "contradictions", "consistent_answers", "visit_score"]

#: What the accuracy item must say for each accuracy; a referral may also leave it not applicable.
EXPECTED_ITEM_ANSWER = {
    "correct": ("yes",),
    "partly_correct": ("partly",),
    "incorrect": ("no",),
    "referred": ("yes", "na"),
}


def contradictions(rubric: Rubric, answers: dict[str, str], accuracy: str | None) -> dict[str, str]:
    """Problem codes by field (``accuracy``, ``answers.<item>``) where the visit contradicts itself."""
    problems: dict[str, str] = {}
    accurate = rubric.item_judging("accuracy")
    referral = rubric.item_judging("referral")
    if accurate is not None and accuracy in EXPECTED_ITEM_ANSWER:
        given = answers.get(accurate.id)
        if given is not None and given not in EXPECTED_ITEM_ANSWER[accuracy]:
            problems["accuracy"] = "contradicts_item"
            problems[f"answers.{accurate.id}"] = "contradicts_accuracy"
    if referral is not None and accuracy == "referred" and answers.get(referral.id) in ("no", "na"):
        problems[f"answers.{referral.id}"] = "referred_without_place"
    return problems


def consistent_answers(rubric: Rubric, answers: dict[str, str], accuracy: str | None) -> dict[str, str]:
    """The answers a score is computed from: the accuracy item agrees with the judged accuracy.

    New visits cannot contradict themselves (the forms refuse it); this keeps
    older ones, stored before that check, from scoring 100 % beside "incorrect".
    """
    accurate = rubric.item_judging("accuracy")
    referral = rubric.item_judging("referral")
    fixed = dict(answers)
    if accurate is not None and accuracy in EXPECTED_ITEM_ANSWER:
        if fixed.get(accurate.id, "na") not in EXPECTED_ITEM_ANSWER[accuracy] or accuracy == "referred":
            fixed[accurate.id] = EXPECTED_ITEM_ANSWER[accuracy][0]
    if referral is not None and accuracy == "referred":
        fixed[referral.id] = "yes"
    return fixed


def visit_score(rubric: Rubric, visit) -> VisitScore:
    """A stored visit's score, from its consistent answers: the one way a visit is scored for figures."""
    return score_visit(rubric, consistent_answers(rubric, visit.answers, visit.accuracy))
