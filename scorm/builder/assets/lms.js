/* lms.js: find the LMS's SCORM API and report to it in the element names of the package's SCORM version.
   Everything version-specific lives here, so the page script speaks of "location" and "result", not of
   cmi.core.lesson_location or cmi.success_status. Plain ES5-compatible JavaScript: no build step, no
   framework, no network. */
(function (global) {
  "use strict";

  // ADL's API discovery algorithm gives up after this many parent hops (RTE 3.3.6.1).
  var MAX_PARENT_HOPS = 500;

  var ELEMENTS = {
    "1.2": {
      apiName: "API",
      location: "cmi.core.lesson_location",
      entry: "cmi.core.entry",
      exit: "cmi.core.exit",
      sessionTime: "cmi.core.session_time",
      scorePrefix: "cmi.core.score",
      passingScore: "cmi.student_data.mastery_score",
      methods: {
        init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
        finish: "LMSFinish", lastError: "LMSGetLastError"
      }
    },
    "2004": {
      apiName: "API_1484_11",
      location: "cmi.location",
      entry: "cmi.entry",
      exit: "cmi.exit",
      sessionTime: "cmi.session_time",
      scorePrefix: "cmi.score",
      passingScore: "cmi.scaled_passing_score",
      methods: {
        init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit",
        finish: "Terminate", lastError: "GetLastError"
      }
    }
  };

  function apiIn(win, name, initMethod) {
    try {
      var api = win[name];
      return api && typeof api[initMethod] === "function" ? api : null;
    } catch (crossOrigin) {
      return null; // a frame of another origin: not ours to search
    }
  }

  function parentOf(win) {
    try {
      return win.parent && win.parent !== win ? win.parent : null;
    } catch (crossOrigin) {
      return null;
    }
  }

  function searchUpFrom(win, name, initMethod) {
    for (var hops = 0; win && hops <= MAX_PARENT_HOPS; hops += 1) {
      var api = apiIn(win, name, initMethod);
      if (api) {
        return api;
      }
      win = parentOf(win);
    }
    return null;
  }

  function findApi(win, version) {
    var spec = ELEMENTS[version];
    var api = searchUpFrom(win, spec.apiName, spec.methods.init);
    if (!api) {
      var opener = null;
      try {
        opener = win.top && win.top.opener;
      } catch (crossOrigin) {
        opener = null;
      }
      if (opener) {
        api = searchUpFrom(opener, spec.apiName, spec.methods.init);
      }
    }
    return api;
  }

  function pad(number, width) {
    var text = String(Math.floor(number));
    while (text.length < width) {
      text = "0" + text;
    }
    return text;
  }

  // SCORM 1.2 CMITimespan HHHH:MM:SS.SS (RTE 3.4.2.1.7); SCORM 2004 timeinterval PT#H#M#S (RTE 4.1.1.5).
  // Counted in whole hundredths so 59.999 s becomes 1 minute, never "60.00" seconds.
  function duration(version, milliseconds) {
    var hundredths = Math.round(Math.max(0, milliseconds) / 10);
    var hours = Math.floor(hundredths / 360000);
    var minutes = Math.floor((hundredths % 360000) / 6000);
    var seconds = (hundredths % 6000) / 100;
    if (version === "1.2") {
      return pad(hours, 2) + ":" + pad(minutes, 2) + ":" + pad(seconds, 2) + "." + pad((hundredths % 100), 2);
    }
    return "PT" + hours + "H" + minutes + "M" + seconds.toFixed(2) + "S";
  }

  // SCORM 1.2 CMITime HH:MM:SS (time of day); SCORM 2004 time(second,10,2) with a time zone (RTE 4.1.1.4).
  function timestamp(version, date) {
    if (version === "1.2") {
      return pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" + pad(date.getSeconds(), 2);
    }
    return date.toISOString().replace(/(\.\d{2})\d*Z$/, "$1Z");
  }

  function Lms(win, version) {
    this.version = version;
    this.spec = ELEMENTS[version];
    this.api = findApi(win, version);
    this.connected = false;
    this.finished = false;
    this.readOnly = false; // review mode: read, never write
    this.lastError = "";
  }

  Lms.prototype.call = function (method, a, b) {
    var name = this.spec.methods[method];
    try {
      var result = b === undefined ? this.api[name](a) : this.api[name](a, b);
      this.lastError = method === "get" ? "" : String(this.api[this.spec.methods.lastError]());
      return result;
    } catch (failure) {
      this.lastError = "exception";
      return "false";
    }
  };

  Lms.prototype.start = function () {
    if (!this.api) {
      return false;
    }
    var started = String(this.call("init", "")) === "true";
    // An API already initialised by an earlier script on the page still takes our calls.
    var alreadyStarted = this.lastError === (this.version === "1.2" ? "101" : "103");
    this.connected = started || alreadyStarted;
    return this.connected;
  };

  Lms.prototype.get = function (element) {
    if (!this.connected) {
      return "";
    }
    var value = this.call("get", element);
    return value === null || value === undefined ? "" : String(value);
  };

  Lms.prototype.set = function (element, value) {
    if (!this.connected || this.readOnly) {
      return false;
    }
    return String(this.call("set", element, String(value))) === "true";
  };

  Lms.prototype.commit = function () {
    if (!this.connected || this.readOnly) {
      return false;
    }
    return String(this.call("commit", "")) === "true";
  };

  // Review mode (RTE 3.4.2.1.8 / 4.2.18): the learner looks back at a finished attempt; nothing may change.
  Lms.prototype.isReviewMode = function () {
    return this.get(this.version === "1.2" ? "cmi.core.lesson_mode" : "cmi.mode") === "review";
  };

  Lms.prototype.location = function () {
    return this.get(this.spec.location);
  };

  Lms.prototype.isResuming = function () {
    return this.get(this.spec.entry) === "resume";
  };

  Lms.prototype.suspendData = function () {
    return this.get("cmi.suspend_data");
  };

  // The LMS's own pass mark from the manifest wins over the built-in one: a percentage for 1.2
  // (masteryscore), a scaled number for 2004 (minNormalizedMeasure). null when the LMS gives none.
  Lms.prototype.passMarkPercent = function () {
    var text = this.get(this.spec.passingScore);
    if (text === "" || isNaN(Number(text))) {
      return null;
    }
    return this.version === "1.2" ? Number(text) : Number(text) * 100;
  };

  Lms.prototype.begin = function () {
    if (this.version === "1.2") {
      var status = this.get("cmi.core.lesson_status");
      if (status === "" || status === "not attempted") {
        this.set("cmi.core.lesson_status", "incomplete");
      }
    } else {
      var completion = this.get("cmi.completion_status");
      if (completion === "" || completion === "unknown" || completion === "not attempted") {
        this.set("cmi.completion_status", "incomplete");
      }
    }
  };

  // Saved on every page turn: where the learner is, what they have done, how far through they are. The one
  // Commit here also carries any interaction or result set since the last one: a Commit is a request to the
  // LMS, so the SCO sends one per learner action, not one per fact.
  Lms.prototype.saveProgress = function (location, suspendData, progressMeasure) {
    this.set(this.spec.location, location);
    this.set("cmi.suspend_data", suspendData);
    if (this.version === "2004") {
      this.set("cmi.progress_measure", progressMeasure.toFixed(2));
    }
    return this.commit();
  };

  Lms.prototype.reportResult = function (result) {
    var prefix = this.spec.scorePrefix;
    this.set(prefix + ".min", "0");
    this.set(prefix + ".max", "100");
    this.set(prefix + ".raw", String(result.percent));
    if (this.version === "1.2") {
      this.set("cmi.core.lesson_status", result.passed ? "passed" : "failed");
    } else {
      this.set("cmi.score.scaled", String(result.scaled));
      this.set("cmi.success_status", result.passed ? "passed" : "failed");
      this.set("cmi.completion_status", "completed");
      this.set("cmi.progress_measure", "1");
    }
  };

  Lms.prototype.countOf = function (collection) {
    var count = parseInt(this.get(collection + "._count"), 10);
    return isNaN(count) ? 0 : count;
  };

  Lms.prototype.objectiveIndex = function (objectiveId) {
    var count = this.countOf("cmi.objectives");
    for (var index = 0; index < count; index += 1) {
      if (this.get("cmi.objectives." + index + ".id") === objectiveId) {
        return index;
      }
    }
    this.set("cmi.objectives." + count + ".id", objectiveId);
    return count;
  };

  Lms.prototype.declareObjectives = function (outcomes) {
    for (var index = 0; index < outcomes.length; index += 1) {
      var position = this.objectiveIndex(outcomes[index].id);
      if (this.version === "2004") {
        this.set("cmi.objectives." + position + ".description", langString(outcomes[index].text));
      }
    }
  };

  // One learning outcome's result: the share of its questions answered correctly in this attempt.
  Lms.prototype.reportObjective = function (outcome) {
    var base = "cmi.objectives." + this.objectiveIndex(outcome.id) + ".";
    this.set(base + "score.min", "0");
    this.set(base + "score.max", "100");
    this.set(base + "score.raw", String(outcome.percent));
    if (this.version === "1.2") {
      this.set(base + "status", outcome.passed ? "passed" : "failed");
    } else {
      this.set(base + "score.scaled", String(outcome.scaled));
      this.set(base + "success_status", outcome.passed ? "passed" : "failed");
      this.set(base + "completion_status", "completed");
    }
  };

  // 2004 localized_string_type may not start with "{" unless that opens a language tag (RTE 4.1.1.7).
  function langString(text) {
    var plain = text.charAt(0) === "{" ? "(" + text.slice(1) : text;
    return plain.length > 250 ? plain.slice(0, 249) + "\u2026" : plain;
  }

  // SCORM 1.2 choice responses are single characters (RTE 3.4.2.7.5): the option's position as a letter.
  function responseFor12(question, optionId) {
    if (question.type === "true-false") {
      return optionId === "true" ? "t" : "f";
    }
    for (var index = 0; index < question.options.length; index += 1) {
      if (question.options[index].id === optionId) {
        return String.fromCharCode(97 + index);
      }
    }
    return "";
  }

  Lms.prototype.recordInteraction = function (answer) {
    var question = answer.question;
    var base = "cmi.interactions." + this.countOf("cmi.interactions") + ".";
    var version = this.version;
    var respond = version === "1.2" ? function (id) { return responseFor12(question, id); }
      : function (id) { return id; };
    // The id first and the type before any response: both run-times check responses against the type.
    this.set(base + "id", question.id);
    this.set(base + "type", question.type);
    this.set(base + "objectives.0.id", question.outcome);
    this.set(base + (version === "1.2" ? "time" : "timestamp"), timestamp(version, answer.shownAt));
    this.set(base + "correct_responses.0.pattern", respond(question.correct));
    this.set(base + "weighting", "1");
    this.set(base + (version === "1.2" ? "student_response" : "learner_response"), respond(answer.optionId));
    this.set(base + "result", answer.correct ? "correct" : (version === "1.2" ? "wrong" : "incorrect"));
    this.set(base + "latency", duration(version, answer.answeredAt - answer.shownAt));
    if (version === "2004") {
      this.set(base + "description", langString(question.prompt));
    }
  };

  // Leaving: suspend keeps the attempt open for resume; a finished unit exits normally (RTE 4.2.8 / 3.4.2.1.5).
  Lms.prototype.finish = function (finishedUnit, sessionMilliseconds) {
    if (!this.connected || this.finished) {
      return;
    }
    this.finished = true;
    this.set(this.spec.sessionTime, duration(this.version, sessionMilliseconds));
    var exitValue = finishedUnit ? (this.version === "1.2" ? "" : "normal") : "suspend";
    this.set(this.spec.exit, exitValue);
    this.commit();
    this.call("finish", "");
  };

  global.CarecertLms = { Lms: Lms, findApi: findApi, duration: duration, timestamp: timestamp };
})(window);
