/* quiz.js: the learner's state and the knowledge check's rules, with no page or LMS in sight.
   State: visited pages, the current attempt's drawn questions (bank positions) and the answers checked so
   far, in order. It travels in cmi.suspend_data as compact JSON, so a resumed attempt shows the same
   questions with the same answers; SCORM 1.2 allows only 4,096 characters there, hence positions, not text. */
(function (global) {
  "use strict";

  var FORMAT = 1;

  function randomBelow(limit) {
    if (global.crypto && global.crypto.getRandomValues) {
      var buffer = new Uint32Array(1);
      var ceiling = Math.floor(4294967296 / limit) * limit; // reject the remainder: no bias to low numbers
      do {
        global.crypto.getRandomValues(buffer);
      } while (buffer[0] >= ceiling);
      return buffer[0] % limit;
    }
    return Math.floor(Math.random() * limit);
  }

  // A fresh random subset of the bank, in random order (a partial Fisher-Yates shuffle).
  function drawQuestions(bankSize, count) {
    var positions = [];
    for (var index = 0; index < bankSize; index += 1) {
      positions.push(index);
    }
    for (var slot = 0; slot < count; slot += 1) {
      var pick = slot + randomBelow(bankSize - slot);
      var held = positions[slot];
      positions[slot] = positions[pick];
      positions[pick] = held;
    }
    return positions.slice(0, count);
  }

  function newState() {
    return { visited: [], attempt: 0, drawn: [], answers: [] };
  }

  function startAttempt(state, data) {
    state.attempt += 1;
    state.drawn = drawQuestions(data.bank.length, Math.min(data.questionsPerAttempt, data.bank.length));
    state.answers = [];
  }

  function markVisited(state, pageIndex) {
    if (state.visited.indexOf(pageIndex) === -1) {
      state.visited.push(pageIndex);
      state.visited.sort(function (a, b) { return a - b; });
    }
  }

  function attemptStarted(state) {
    return state.drawn.length > 0;
  }

  function attemptFinished(state) {
    return attemptStarted(state) && state.answers.length === state.drawn.length;
  }

  function serialise(state) {
    return JSON.stringify({ f: FORMAT, v: state.visited, n: state.attempt, d: state.drawn, a: state.answers });
  }

  function isWholeIn(value, limit) {
    return typeof value === "number" && value % 1 === 0 && value >= 0 && value < limit;
  }

  function optionIds(question) {
    return question.options.map(function (option) { return option.id; });
  }

  // Saved state is untrusted (another package version, a hand-edited record): keep only what fits this unit.
  function restore(text, data) {
    var saved;
    try {
      saved = JSON.parse(text);
    } catch (notJson) {
      return null;
    }
    if (!saved || saved.f !== FORMAT) {
      return null;
    }
    var state = newState();
    (Array.isArray(saved.v) ? saved.v : []).forEach(function (page) {
      if (isWholeIn(page, data.pageIds.length)) {
        markVisited(state, page);
      }
    });
    state.attempt = isWholeIn(saved.n, 1000000) ? saved.n : 0;
    var drawn = Array.isArray(saved.d) ? saved.d : [];
    var answers = Array.isArray(saved.a) ? saved.a : [];
    var drawnValid = drawn.every(function (position, slot) {
      return isWholeIn(position, data.bank.length) && drawn.indexOf(position) === slot;
    });
    var answersValid = answers.length <= drawn.length && answers.every(function (optionId, slot) {
      return drawnValid && optionIds(data.bank[drawn[slot]]).indexOf(optionId) !== -1;
    });
    if (drawnValid && answersValid) {
      state.drawn = drawn.slice();
      state.answers = answers.slice();
    }
    return state;
  }

  function percentOf(correct, total) {
    return total === 0 ? 0 : Math.round((correct / total) * 10000) / 100;
  }

  function meetsMark(correct, total, passMark) {
    // Compare in whole numbers where possible: 8/10 against 80% must pass despite floating point.
    return total > 0 && correct * 100 >= passMark * total - 1e-9;
  }

  // The attempt's result, and one per learning outcome that had questions in this draw.
  function score(state, data, passMark) {
    var correct = 0;
    var byOutcome = {};
    var order = [];
    state.drawn.forEach(function (position, slot) {
      var question = data.bank[position];
      var right = state.answers[slot] === question.correct;
      correct += right ? 1 : 0;
      if (!byOutcome[question.outcome]) {
        byOutcome[question.outcome] = { id: question.outcome, correct: 0, total: 0 };
        order.push(question.outcome);
      }
      byOutcome[question.outcome].total += 1;
      byOutcome[question.outcome].correct += right ? 1 : 0;
    });
    var total = state.drawn.length;
    return {
      correct: correct,
      total: total,
      percent: percentOf(correct, total),
      scaled: total === 0 ? 0 : Math.round((correct / total) * 10000) / 10000,
      passed: meetsMark(correct, total, passMark),
      outcomes: order.map(function (id) {
        var outcome = byOutcome[id];
        outcome.percent = percentOf(outcome.correct, outcome.total);
        outcome.scaled = Math.round((outcome.correct / outcome.total) * 10000) / 10000;
        outcome.passed = meetsMark(outcome.correct, outcome.total, passMark);
        return outcome;
      })
    };
  }

  function progressMeasure(state, data) {
    var steps = data.pageIds.length + 1; // every page, and the knowledge check
    var done = state.visited.length + (attemptFinished(state) ? 1 : 0);
    return Math.min(1, done / steps);
  }

  global.CarecertQuiz = {
    newState: newState,
    startAttempt: startAttempt,
    markVisited: markVisited,
    attemptStarted: attemptStarted,
    attemptFinished: attemptFinished,
    serialise: serialise,
    restore: restore,
    score: score,
    progressMeasure: progressMeasure,
    drawQuestions: drawQuestions
  };
})(window);
