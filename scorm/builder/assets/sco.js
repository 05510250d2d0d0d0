/* sco.js: the page's behaviour. Content pages are already in the HTML (escaped by the builder); this script
   shows one screen at a time, runs the knowledge check, keeps the LMS informed through lms.js and saves the
   learner's place on every page turn. Questions are built with DOM methods and textContent only, so unit
   text can never become markup. */
(function (global, document) {
  "use strict";

  var Quiz = global.CarecertQuiz;
  var data = JSON.parse(document.getElementById("sco-data").textContent);
  var lms = new global.CarecertLms.Lms(global, data.scormVersion);
  var sessionStart = Date.now();
  var state = Quiz.newState();
  var passMark = data.passMark;
  var questionShownAt = new Date();
  var current = { kind: "none" }; // the screen on show: page, intro, question, results or resume
  var reviewOnly = false; // the LMS opened a finished attempt for review: report nothing

  function byId(id) {
    return document.getElementById(id);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function contentPage(index) {
    return byId("page-" + data.pageIds[index]);
  }

  function showScreen(screen, focusTarget, navigation) {
    var screens = document.querySelectorAll(".screen");
    for (var index = 0; index < screens.length; index += 1) {
      screens[index].hidden = screens[index] !== screen;
    }
    // The unit's summary introduces it once; on a phone it would push every later screen down.
    byId("unit-summary").hidden = screen !== contentPage(0);
    byId("page-nav").hidden = !navigation;
    if (navigation) {
      byId("previous-page").disabled = !navigation.previous;
      byId("next-page").hidden = !navigation.next;
    }
    if (focusTarget) {
      focusTarget.focus();
    }
  }

  function headingOf(screen) {
    return screen.querySelector("h2");
  }

  function setSaveStatus(text) {
    byId("save-status").textContent = text;
  }

  function save(location) {
    if (!lms.connected || reviewOnly) {
      return;
    }
    var saved = lms.saveProgress(location, Quiz.serialise(state), Quiz.progressMeasure(state, data));
    setSaveStatus(saved ? "Progress saved."
      : "Your progress could not be saved just now (LMS error " + lms.lastError + "). It will be saved when you move on.");
  }

  function goToPage(index, moveFocus) {
    var page = contentPage(index);
    Quiz.markVisited(state, index);
    showScreen(page, moveFocus ? headingOf(page) : null, { previous: index > 0, next: true });
    byId("next-page").textContent = index === data.pageIds.length - 1 ? "Next: knowledge check" : "Next";
    current = { kind: "page", index: index };
    save(data.pageIds[index]);
  }

  function goToCheckIntro(moveFocus) {
    var intro = byId("check-intro");
    var label = "Start the knowledge check";
    if (Quiz.attemptStarted(state) && !Quiz.attemptFinished(state)) {
      label = "Continue the knowledge check";
    } else if (Quiz.attemptFinished(state)) {
      label = currentResult().passed ? "See your result" : "Try the knowledge check again";
    }
    byId("check-start").textContent = label;
    showScreen(intro, moveFocus ? headingOf(intro) : null, { previous: true, next: false });
    current = { kind: "intro" };
    save("check-intro");
  }

  function currentResult() {
    return Quiz.score(state, data, passMark);
  }

  function enterCheck(moveFocus) {
    var finished = Quiz.attemptFinished(state);
    if (!Quiz.attemptStarted(state) || (finished && !currentResult().passed)) {
      Quiz.startAttempt(state, data);
    }
    if (Quiz.attemptFinished(state)) {
      showResults(moveFocus);
    } else {
      showQuestion(state.answers.length, moveFocus);
    }
  }

  function questionAt(slot) {
    return data.bank[state.drawn[slot]];
  }

  function buildQuestion(question, slot) {
    var wrapper = element("div", "question-wrapper");
    var fieldset = element("fieldset", "question");
    fieldset.setAttribute("data-question-id", question.id);
    if (question.scenario) {
      var scenario = element("div", "scenario");
      scenario.id = "scenario-" + slot;
      var situation = element("p");
      situation.appendChild(element("strong", "", "The situation: "));
      situation.appendChild(document.createTextNode(question.scenario));
      scenario.appendChild(situation);
      wrapper.appendChild(scenario);
      fieldset.setAttribute("aria-describedby", scenario.id);
    }
    fieldset.appendChild(element("legend", "", question.prompt));
    question.options.forEach(function (option, position) {
      var row = element("div", "option");
      var input = element("input");
      input.type = "radio";
      input.name = "answer";
      input.value = option.id;
      input.id = "answer-" + slot + "-" + position;
      var label = element("label", "", option.text);
      label.htmlFor = input.id;
      row.appendChild(input);
      row.appendChild(label);
      fieldset.appendChild(row);
    });
    wrapper.appendChild(fieldset);
    return wrapper;
  }

  function showQuestion(slot, moveFocus) {
    var slotNode = byId("question-slot");
    slotNode.textContent = "";
    slotNode.appendChild(buildQuestion(questionAt(slot), slot));
    var progress = byId("check-progress");
    progress.textContent = "Question " + (slot + 1) + " of " + state.drawn.length;
    progress.setAttribute("tabindex", "-1");
    var feedback = byId("feedback");
    feedback.textContent = "";
    feedback.className = "feedback";
    byId("check-answer").hidden = false;
    byId("next-question").hidden = true;
    showScreen(byId("check"), moveFocus ? progress : null, null);
    questionShownAt = new Date();
    current = { kind: "question", slot: slot };
    save("question-" + (slot + 1));
  }

  function markOption(input, rightAnswer, chosen) {
    var row = input.parentNode;
    input.disabled = true;
    if (input.value === rightAnswer) {
      row.className = "option is-right";
      row.querySelector("label").appendChild(element("span", "option-mark", " \u2014 right answer"));
    } else if (chosen) {
      row.className = "option is-wrong";
      row.querySelector("label").appendChild(element("span", "option-mark", " \u2014 your answer"));
    }
  }

  function optionText(question, optionId) {
    for (var index = 0; index < question.options.length; index += 1) {
      if (question.options[index].id === optionId) {
        return question.options[index].text;
      }
    }
    return "";
  }

  function showFeedback(question, right) {
    var feedback = byId("feedback");
    feedback.textContent = "";
    feedback.className = "feedback " + (right ? "is-right" : "is-wrong");
    var verdict = element("p");
    verdict.appendChild(element("strong", "", right ? "Correct." : "Not quite."));
    if (!right) {
      verdict.appendChild(document.createTextNode(" The right answer is: " + optionText(question, question.correct)));
    }
    feedback.appendChild(verdict);
    feedback.appendChild(element("p", "", right ? question.feedback.correct : question.feedback.incorrect));
  }

  function checkAnswer(event) {
    event.preventDefault();
    if (current.kind !== "question" || current.slot !== state.answers.length) {
      return; // already checked: the answer cannot change after its feedback
    }
    var chosen = document.querySelector("#question-form input[name=answer]:checked");
    var feedback = byId("feedback");
    if (!chosen) {
      feedback.className = "feedback is-wrong";
      feedback.textContent = "Choose an answer first, then check it.";
      document.querySelector("#question-form input[name=answer]").focus();
      return;
    }
    var question = questionAt(current.slot);
    var right = chosen.value === question.correct;
    state.answers.push(chosen.value);
    var inputs = document.querySelectorAll("#question-form input[name=answer]");
    for (var index = 0; index < inputs.length; index += 1) {
      markOption(inputs[index], question.correct, inputs[index] === chosen);
    }
    showFeedback(question, right);
    byId("check-answer").hidden = true;
    var next = byId("next-question");
    next.textContent = Quiz.attemptFinished(state) ? "See your result" : "Next question";
    next.hidden = false;
    next.focus();
    if (reviewOnly) {
      return;
    }
    lms.recordInteraction({
      question: question, optionId: chosen.value, correct: right, shownAt: questionShownAt, answeredAt: new Date()
    });
    if (Quiz.attemptFinished(state)) {
      reportResult();
    }
    save("question-" + (current.slot + 1));
  }

  function reportResult() {
    var result = currentResult();
    result.outcomes.forEach(function (outcome) {
      lms.reportObjective(outcome);
    });
    lms.reportResult(result);
  }

  function reviewItem(question, answer) {
    var right = answer === question.correct;
    var item = element("li", right ? "is-right" : "is-wrong");
    var prompt = element("p");
    prompt.appendChild(element("strong", "", question.prompt));
    item.appendChild(prompt);
    item.appendChild(element("p", "", "Your answer: " + optionText(question, answer) + (right ? " (right)" : " (not right)")));
    if (!right) {
      item.appendChild(element("p", "", "Right answer: " + optionText(question, question.correct)));
    }
    item.appendChild(element("p", "", right ? question.feedback.correct : question.feedback.incorrect));
    return item;
  }

  function showResults(moveFocus) {
    var result = currentResult();
    byId("results-score").textContent = "You scored " + result.correct + " out of " + result.total +
      " (" + result.percent + "%).";
    byId("results-verdict").textContent = result.passed
      ? "You passed. The pass mark is " + passMark + "%. Well done."
      : "You did not pass this time. The pass mark is " + passMark + "%. Read the feedback below, then try again.";
    byId("try-again").hidden = result.passed;
    var list = byId("review-list");
    list.textContent = "";
    state.drawn.forEach(function (position, slot) {
      list.appendChild(reviewItem(data.bank[position], state.answers[slot]));
    });
    var results = byId("results");
    showScreen(results, moveFocus ? headingOf(results) : null, null);
    current = { kind: "results" };
    save("results");
  }

  function resumeAt(location) {
    var pageIndex = data.pageIds.indexOf(location);
    if (pageIndex !== -1) {
      goToPage(pageIndex, true);
    } else if (/^(question-\d+|results)$/.test(location) && Quiz.attemptStarted(state)) {
      enterCheck(true);
    } else if (/^(question-\d+|results|check-intro)$/.test(location)) {
      goToCheckIntro(true); // the saved draw did not fit this unit: start the check again
    } else {
      goToPage(0, true);
    }
  }

  function offerResume(location) {
    var screen = byId("resume");
    showScreen(screen, null, null);
    current = { kind: "resume" };
    byId("resume-continue").addEventListener("click", function () {
      resumeAt(location);
    });
    byId("resume-restart").addEventListener("click", function () {
      state = Quiz.newState();
      goToPage(0, true);
    });
  }

  function finishedUnit() {
    return Quiz.attemptFinished(state) && currentResult().passed;
  }

  function leave() {
    lms.finish(finishedUnit(), Date.now() - sessionStart);
  }

  function wireControls() {
    byId("previous-page").addEventListener("click", function () {
      if (current.kind === "page" && current.index > 0) {
        goToPage(current.index - 1, true);
      } else if (current.kind === "intro") {
        goToPage(data.pageIds.length - 1, true);
      }
    });
    byId("next-page").addEventListener("click", function () {
      if (current.kind === "page" && current.index < data.pageIds.length - 1) {
        goToPage(current.index + 1, true);
      } else if (current.kind === "page") {
        goToCheckIntro(true);
      }
    });
    byId("check-start").addEventListener("click", function () {
      enterCheck(true);
    });
    byId("question-form").addEventListener("submit", checkAnswer);
    byId("next-question").addEventListener("click", function () {
      if (Quiz.attemptFinished(state)) {
        showResults(true);
      } else {
        showQuestion(state.answers.length, true);
      }
    });
    byId("try-again").addEventListener("click", function () {
      Quiz.startAttempt(state, data);
      showQuestion(0, true);
    });
    byId("review-pages").addEventListener("click", function () {
      goToPage(0, true);
    });
    // pagehide fires where unload no longer does (mobile, back-forward cache); lms.finish runs only once.
    global.addEventListener("pagehide", leave);
    global.addEventListener("beforeunload", leave);
  }

  function start() {
    wireControls();
    if (lms.start()) {
      var lmsPassMark = lms.passMarkPercent();
      passMark = lmsPassMark === null ? data.passMark : lmsPassMark;
      reviewOnly = lms.isReviewMode();
      lms.readOnly = reviewOnly;
      if (reviewOnly) {
        byId("notice").textContent = "You are looking back at this unit. Nothing you do now changes your " +
          "saved progress or result.";
      } else {
        lms.begin();
        lms.declareObjectives(data.outcomes);
      }
    } else {
      byId("notice").textContent = "This unit is not connected to a learning system, so your progress and " +
        "result will not be saved. You can still read the pages and try the questions.";
    }
    var location = lms.location();
    var saved = lms.suspendData();
    var restored = saved ? Quiz.restore(saved, data) : null;
    if (restored && (location || restored.visited.length > 0)) {
      state = restored;
      offerResume(location);
    } else {
      goToPage(0, false);
    }
  }

  start();
})(window, document);
