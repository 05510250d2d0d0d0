"""The knowledge check's rules in the SCO's own script (quiz.js), run in the browser that plays it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def run(session, script: str):
    return session.frame().evaluate(script)


def test_a_draw_is_the_requested_number_of_distinct_bank_questions(learner):
    draws = run(learner("2004"), "[...Array(500)].map(() => CarecertQuiz.drawQuestions(5, 4))")
    assert all(len(draw) == 4 and len(set(draw)) == 4 and set(draw) <= set(range(5)) for draw in draws)


def test_every_bank_question_can_be_drawn_in_every_position(learner):
    draws = run(learner("2004"), "[...Array(2000)].map(() => CarecertQuiz.drawQuestions(5, 4))")
    for slot in range(4):
        assert {draw[slot] for draw in draws} == set(range(5))


def test_each_attempt_draws_afresh(learner):
    draws = run(
        learner("2004"),
        """(() => {
          const data = JSON.parse(document.getElementById('sco-data').textContent);
          const state = CarecertQuiz.newState();
          return [...Array(30)].map(() => {
            CarecertQuiz.startAttempt(state, data);
            return state.drawn.join();
          });
        })()""",
    )
    assert len(set(draws)) > 1


@pytest.mark.parametrize(
    ("correct", "total", "pass_mark", "passed"),
    [(8, 10, 80, True), (7, 10, 80, False), (2, 3, 66.67, False), (2, 3, 66.66, True), (10, 10, 100, True)],
)
def test_the_pass_mark_is_met_exactly_at_the_boundary(learner, correct, total, pass_mark, passed):
    result = run(
        learner("2004"),
        f"""(() => {{
          const bank = [...Array({total})].map((_, i) => ({{id: 'q' + i, outcome: 'LO1', correct: 'a'}}));
          const state = {{visited: [], attempt: 1, drawn: bank.map((_, i) => i),
                          answers: bank.map((_, i) => i < {correct} ? 'a' : 'b')}};
          return CarecertQuiz.score(state, {{bank: bank}}, {pass_mark});
        }})()""",
    )
    assert result["passed"] is passed
    assert result["correct"] == correct


def test_saved_state_round_trips_through_suspend_data(learner):
    restored = run(
        learner("2004"),
        """(() => {
          const data = JSON.parse(document.getElementById('sco-data').textContent);
          const state = CarecertQuiz.newState();
          CarecertQuiz.markVisited(state, 2); CarecertQuiz.markVisited(state, 0);
          CarecertQuiz.startAttempt(state, data);
          state.answers.push(data.bank[state.drawn[0]].options[0].id);
          const text = CarecertQuiz.serialise(state);
          return [state, CarecertQuiz.restore(text, data), text.length];
        })()""",
    )
    original, back, length = restored
    assert back == original
    assert length < 200  # far inside SCORM 1.2's 4,096 characters
