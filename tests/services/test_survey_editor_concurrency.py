"""Two administrators saving the survey at the same moment both keep their change."""

from __future__ import annotations

import threading

from feedback.services.survey_editor import QuestionEdit, current_survey, edit_question, survey_versions


def test_saves_at_the_same_moment_keep_every_change_and_give_each_version_one_definition(app, store):
    with app.app_context():
        survey = current_survey(store, "qr")
        first, second = [q for q in survey.questions if q.type == "smiley"][:2]
        start = survey.version
        rounds = 12
        barrier = threading.Barrier(2)
        failures: list[BaseException] = []

        def editor(question, label):
            try:
                with app.app_context():
                    for n in range(rounds):
                        barrier.wait()
                        edit_question(store, "qr", question.id,
                                      QuestionEdit(text={"en": f"{label} {n}"}, required=question.required),
                                      languages=["en", "da", "es"])
            except BaseException as exc:  # noqa: BLE001 - reported by the test below
                failures.append(exc)

        threads = [threading.Thread(target=editor, args=(first, "First")),
                   threading.Thread(target=editor, args=(second, "Second"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not failures
        now = current_survey(store, "qr")
        assert now.question(first.id).text["en"] == f"First {rounds - 1}"
        assert now.question(second.id).text["en"] == f"Second {rounds - 1}"  # neither edit was lost
        versions = [s.version for s in survey_versions(store, "qr")]
        assert now.version == start + 2 * rounds
        assert len(versions) == len(set(versions))  # no version number names two definitions
