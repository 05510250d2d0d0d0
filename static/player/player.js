// The learner's player: scorm-again's SCORM API for the SCO in the iframe, seeded from the server before each
// SCO loads, commits sent to the tool's commit endpoint (one at a time, newest data first, retried when the
// network fails, by sendBeacon when the page goes away), the table of contents and flow navigation, and the
// navigation requests a SCO leaves in adl.nav.request when it terminates (SCORM 2004 RTE 4.2 / SN OP.1).
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("player-config").textContent);
  var is2004 = config.version === "2004";
  var sequenced = is2004 && !!config.sequencing;
  var frame = document.getElementById("sco");
  var statusBox = document.getElementById("save-status");
  var problemBox = document.getElementById("save-problem");
  var messageBox = document.getElementById("sco-message");
  var tokenQuery = "lt=" + encodeURIComponent(config.token);
  var BEACON_LIMIT = 60000; // browsers refuse beacons and keepalive fetches above about 64 KB in flight

  var current = null; // {item, delivery, commitUrl}
  var locked = config.locked || [];
  var validity = null; // SCORM 2004: the sequencing engine's last navigation validity
  var pendingNav = null;
  var dirty = false;
  var ended = null; // the end screen shown once the learner's session in this page is over
  var navOutcome = { delivered: false, sessionEnd: null }; // what the sequencer did after the last Terminate

  // -- saving ------------------------------------------------------------------------------------------------
  function showStatus(text, state) {
    statusBox.textContent = text;
    statusBox.setAttribute("data-state", state);
  }

  function showProblem(text) {
    problemBox.textContent = text;
    problemBox.hidden = !text;
  }

  function clock() {
    var now = new Date();
    return ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
  }

  function Transport() {
    this.queue = []; // [{key, url, body}]: the newest commit of each SCO session, oldest session first
    this.busy = false;
    this.failures = 0;
    this.unloading = false;
    this.stopped = false;
    this.acknowledged = {}; // suspend_data the server has stored, per SCO session
  }

  // scorm-again's IHttpService: every Commit (and the one at Terminate) arrives here with its commitSequence.
  Transport.prototype.processHttpRequest = function (url, params, immediate, apiLog, listeners, metadata) {
    if (config.review || !current) {
      return { result: "true", errorCode: 0 };
    }
    var terminate = !!(metadata && metadata.isTerminateCommit) || !!immediate;
    var entry = {
      key: current.commitUrl,
      url: current.commitUrl + (terminate ? "&terminate=true" : ""),
      body: JSON.stringify(terminate && is2004 ? withNavRequest(params) : params),
    };
    dirty = false;
    if (this.unloading || terminate) {
      // The session's last commit goes by beacon: it survives the SCO's (or the whole page's) unloading.
      this.drop(entry.key);
      if (this.beacon(entry)) {
        showStatus("Saved at " + clock(), "saved");
      }
    } else {
      this.enqueue(entry);
    }
    return { result: "true", errorCode: 0 };
  };
  Transport.prototype.updateSettings = function () {};

  // scorm-again leaves adl.nav.request out of its commits, but the server needs a suspendAll to resume the
  // SCO next time (cmi.entry "resume", RTE 4.2.8): the session's last commit carries the SCO's request.
  function withNavRequest(params) {
    var pending = api && api.adl && api.adl.nav ? api.adl.nav.request : "_none_";
    if (!pending || pending === "_none_" || !params || typeof params !== "object" || Array.isArray(params)) {
      return params;
    }
    var copy = Object.assign({}, params);
    copy.adl = Object.assign({}, params.adl || {}, { nav: { request: pending } });
    return copy;
  }

  Transport.prototype.enqueue = function (entry) {
    for (var i = 0; i < this.queue.length; i++) {
      if (this.queue[i].key === entry.key) {
        this.queue[i] = entry; // each commit holds the whole data model: only the newest matters
        this.pump();
        return;
      }
    }
    this.queue.push(entry);
    this.pump();
  };

  // A commit too big for a beacon leaves out suspend_data when the server already holds that value
  // (a commit changes only what it carries).
  Transport.prototype.trimmed = function (entry) {
    if (entry.body.length < BEACON_LIMIT) {
      return entry;
    }
    var data = JSON.parse(entry.body);
    if (data.cmi && data.cmi.suspend_data === this.acknowledged[entry.key]) {
      delete data.cmi.suspend_data;
    }
    return { key: entry.key, url: entry.url, body: JSON.stringify(data) };
  };

  Transport.prototype.drop = function (key) {
    // a queued (not yet sent) commit of the same SCO session is superseded; one in flight is left alone
    var start = this.busy ? 1 : 0;
    for (var i = this.queue.length - 1; i >= start; i--) {
      if (this.queue[i].key === key) {
        this.queue.splice(i, 1);
      }
    }
  };

  // True when the browser took the beacon; otherwise the commit goes by fetch (keepalive when small).
  Transport.prototype.beacon = function (entry) {
    var sent = false;
    entry = this.trimmed(entry);
    if (navigator.sendBeacon && entry.body.length < BEACON_LIMIT) {
      // text/plain is a CORS-safelisted type, so no preflight is needed while the page is going away.
      sent = navigator.sendBeacon(entry.url + "&beacon=1", new Blob([entry.body], { type: "text/plain" }));
    }
    if (!sent) {
      fetch(entry.url, {
        method: "POST",
        body: entry.body,
        headers: { "Content-Type": "text/plain" },
        credentials: "omit",
        keepalive: entry.body.length < BEACON_LIMIT,
      }).catch(function () {});
    }
    return sent;
  };

  Transport.prototype.flushByBeacon = function () {
    var entries = this.queue.splice(0);
    for (var i = 0; i < entries.length; i++) {
      this.beacon(entries[i]);
    }
  };

  Transport.prototype.pump = function () {
    if (this.busy || this.stopped || !this.queue.length) {
      return;
    }
    var self = this;
    var entry = this.queue[0];
    this.busy = true;
    showStatus("Saving…", "saving");
    fetch(entry.url, {
      method: "POST",
      body: entry.body,
      headers: { "Content-Type": "application/json" },
      credentials: "omit",
      keepalive: entry.body.length < BEACON_LIMIT,
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (answer) {
            self.answered(entry, response.status, answer);
          });
      })
      .catch(function () {
        self.failed(entry);
      });
  };

  Transport.prototype.done = function (entry) {
    if (this.queue[0] === entry) {
      this.queue.shift();
    }
    this.busy = false;
    this.pump();
  };

  Transport.prototype.answered = function (entry, status, answer) {
    if (status >= 500 || status === 0) {
      this.failed(entry);
      return;
    }
    this.failures = 0;
    if (status === 200) {
      var data = JSON.parse(entry.body);
      this.acknowledged[entry.key] = data.cmi ? data.cmi.suspend_data : undefined;
      showProblem("");
      showStatus("Saved at " + clock(), "saved");
      if (answer.locked) {
        locked = answer.locked;
        renderToc();
      }
    } else if (answer.code === "COMMIT-OUT-OF-ORDER" || answer.code === "COMMIT-SEQUENCE-REPEATED") {
      // a newer commit of the same data was stored already: nothing is lost
    } else if (answer.code === "COMMIT-STALE") {
      this.stopped = true;
      showStatus("Not saved", "failed");
      showProblem("This unit is open in another window or tab, so this one no longer saves. Close this one and carry on in the other.");
    } else if (status === 401) {
      this.stopped = true;
      showStatus("Not saved", "failed");
      showProblem("Your session has ended, so your latest changes could not be saved. Open the unit again from your course.");
    } else {
      showStatus("Not saved", "failed");
      showProblem("Some of your latest answers could not be saved (" + (answer.message || "the server refused them") + "). Please tell your trainer.");
    }
    this.done(entry);
  };

  Transport.prototype.failed = function (entry) {
    var self = this;
    this.failures += 1;
    var wait = Math.min(30, Math.pow(2, this.failures));
    showStatus("Not saved yet", "failed");
    showProblem("We could not save your progress just now. We will try again in " + wait + " seconds: please keep this page open.");
    setTimeout(function () {
      self.busy = false;
      self.pump();
    }, wait * 1000);
    void entry;
  };

  var transport = new Transport();

  // -- the SCORM API ----------------------------------------------------------------------------------------
  var settings = {
    autocommit: !config.review,
    autocommitSeconds: config.autosaveSeconds || 10,
    lmsCommitUrl: config.review ? false : "/player/commit",
    dataCommitFormat: "json",
    includeCommitSequence: true,
    sendFullCommit: true,
    autoCompleteLessonStatus: true,
    logLevel: 5,
    httpService: transport,
  };
  if (sequenced) {
    var sequencing = JSON.parse(JSON.stringify(config.sequencing));
    sequencing.eventListeners = {
      onActivityDelivery: function (activity) {
        navOutcome.delivered = true;
        setTimeout(function () {
          loadItem(activity.id);
        }, 0);
      },
      onNavigationValidityUpdate: function (update) {
        validity = update;
        renderToc();
        renderFlow();
      },
      onSequencingSessionEnd: function (data) {
        navOutcome.sessionEnd = (data && data.reason) || "end_of_content";
        setTimeout(function () {
          sessionOver(navOutcome.sessionEnd);
        }, 0);
      },
    };
    settings.sequencing = sequencing;
  }
  var ApiClass = is2004 ? window.Scorm2004API : window.Scorm12API;
  var api = new ApiClass(settings, transport);
  window[is2004 ? "API_1484_11" : "API"] = api;
  if (config.contentOrigin && window.CrossFrameLMS) {
    new window.CrossFrameLMS(api, config.contentOrigin); // the SCO on the content origin talks through this
  }
  api.on(is2004 ? "SetValue.cmi.*" : "LMSSetValue.cmi.*", function () {
    if (!config.review) {
      dirty = true;
      showStatus("Unsaved changes", "dirty");
    }
  });
  if (sequenced) {
    api.on("Initialize", function () {
      setTimeout(askValidity, 0);
    });
  }
  // Terminate's listeners run before scorm-again processes the pending request and clears it: read it here.
  api.on(is2004 ? "Terminate" : "LMSFinish", function () {
    var request = is2004 && api.adl && api.adl.nav ? String(api.adl.nav.request || "_none_") : "_none_";
    navOutcome = { delivered: false, sessionEnd: null };
    setTimeout(function () {
      afterTerminate(request);
    }, 0);
  });

  // After a resumed sequencing state no validity update has come from the engine yet: ask it, as a SCO
  // would, through adl.nav.request_valid (SCORM 2004 RTE 4.4.1).
  function askValidity() {
    if (!running()) {
      return;
    }
    var asked = {
      continue: api.GetValue("adl.nav.request_valid.continue") === "true",
      previous: api.GetValue("adl.nav.request_valid.previous") === "true",
      choice: {},
      hideLmsUi: validity ? validity.hideLmsUi : [],
    };
    config.toc.forEach(function (entry) {
      asked.choice[entry.id] = api.GetValue("adl.nav.request_valid.choice.{target=" + entry.id + "}");
    });
    validity = asked;
    renderToc();
    renderFlow();
  }

  function running() {
    return api.isInitialized() && !api.isTerminated();
  }

  // -- delivering SCOs --------------------------------------------------------------------------------------
  function postJson(path) {
    return fetch(path, { method: "POST", credentials: "omit" }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) {
          throw new Error(answer.message || "The unit could not be opened.");
        }
        return answer;
      });
    });
  }

  // The message is a live region kept in the page (empty when quiet), so screen readers announce changes.
  function say(text) {
    messageBox.textContent = text;
  }

  function loadItem(itemId) {
    var path =
      "/player/deliver?" + tokenQuery + "&a=" + config.attempt + "&i=" + encodeURIComponent(itemId) + (config.review ? "&review=1" : "");
    say("Opening…");
    return postJson(path)
      .then(function (answer) {
        if (!api.isNotInitialized()) {
          api.reset();
        }
        current = {
          item: answer.item,
          delivery: answer.delivery,
          commitUrl:
            "/player/commit?" + tokenQuery + "&a=" + config.attempt + "&i=" + encodeURIComponent(answer.item) + "&d=" + answer.delivery,
        };
        api.loadFromJSON(answer.seed, "");
        frame.hidden = false;
        frame.src = contentUrl(answer.launch);
        say("");
        renderToc();
        renderFlow();
        saveSequencingState();
      })
      .catch(function (error) {
        say(error.message);
      });
  }

  function contentUrl(launch) {
    if (config.bridge) {
      return config.contentBase + config.bridge + "?start=" + encodeURIComponent(launch);
    }
    return config.contentBase + launch;
  }

  function saveSequencingState() {
    if (!sequenced || config.review || !api.serializeSequencingState) {
      return;
    }
    try {
      var state = api.serializeSequencingState();
      fetch("/player/sequencing?" + tokenQuery + "&a=" + config.attempt, {
        method: "POST",
        body: state,
        credentials: "omit",
        keepalive: state.length < BEACON_LIMIT, // a suspendAll's state must arrive though the learner leaves
      }).catch(function () {});
    } catch (error) {
      void error;
    }
  }

  // -- after a SCO terminates: carry out its navigation request ------------------------------------------
  function afterTerminate(request) {
    dirty = false;
    renderFlow();
    if (ended || pendingNav !== null) {
      return;
    }
    if (sequenced) {
      // scorm-again's sequencer has acted already (delivery or session end); say so when it did neither.
      if (!navOutcome.delivered && !navOutcome.sessionEnd) {
        say(
          request === "_none_" || request === "exit"
            ? "This part is finished. Use Continue or the contents to go on."
            : "This part is finished, but that step is not available. Use Continue or the contents to go on."
        );
      }
      return;
    }
    followRequest(request);
  }

  // Without a sequencer (SCORM 1.2, or a single SCO) the player carries out the SCO's request itself.
  function followRequest(request) {
    var choice = /^\{target=([^}]+)\}(?:choice|jump)$/.exec(request);
    var destination = null;
    if (request === "suspendAll") {
      showEnd("suspended");
      return;
    }
    if (request === "exitAll" || request === "abandonAll") {
      showEnd("finished");
      return;
    }
    if (request === "continue" || request === "previous") {
      destination = neighbour(request === "continue" ? 1 : -1);
    } else if (choice && isLaunchable(choice[1])) {
      destination = choice[1];
    }
    if (destination && choiceAllowed(destination)) {
      loadItem(destination);
    } else if (launchable().length > 1) {
      say("This part is finished. Use Continue or the contents to go on.");
    } else {
      showEnd("finished");
    }
  }

  function isLaunchable(itemId) {
    return config.toc.some(function (entry) {
      return entry.id === itemId && !!entry.launch;
    });
  }

  function sessionOver(reason) {
    saveSequencingState();
    showEnd(reason === "suspend_all" ? "suspended" : reason === "end_of_content" ? "end_of_content" : "finished");
  }

  var END_SCREENS = {
    suspended: ["Your place is saved.", "You can close this page. When you open this unit again, you will carry on from here."],
    finished: ["You have finished this session.", "Your progress is saved. You can close this page."],
    end_of_content: ["You have reached the end of this unit.", "Your progress is saved. You can close this page."],
  };

  // A plain page in place of the SCO's frame, with focus on its heading so a screen reader announces it.
  function showEnd(kind) {
    var words = END_SCREENS[kind] || END_SCREENS.finished;
    var more = document.body.getAttribute("data-more-attempts") === "yes";
    ended = kind;
    frame.src = "about:blank";
    frame.hidden = true;
    say("");
    document.getElementById("toc").hidden = true;
    document.getElementById("flow-nav").hidden = true;
    document.getElementById("end-title").textContent = words[0];
    document.getElementById("end-text").textContent = config.review ? "Nothing you did changed your result. You can close this page." : words[1];
    document.getElementById("end-new-attempt").hidden = kind === "suspended" || !more;
    document.getElementById("end-screen").hidden = false;
    document.getElementById("end-title").focus();
  }

  document.getElementById("end-reopen").addEventListener("click", function () {
    window.location.href = "/player?" + tokenQuery;
  });

  // -- navigation -------------------------------------------------------------------------------------------
  function launchable() {
    return config.toc.filter(function (entry) {
      return entry.launch && entry.visible;
    });
  }

  function neighbour(step) {
    var items = launchable();
    for (var i = 0; i < items.length; i++) {
      if (current && items[i].id === current.item) {
        var next = items[i + step];
        return next ? next.id : null;
      }
    }
    return null;
  }

  function choiceAllowed(itemId) {
    if (sequenced) {
      return !!(validity && validity.choice && validity.choice[itemId] === "true");
    }
    return locked.indexOf(itemId) < 0;
  }

  // Leave the current SCO (its page unloads and normally terminates itself), then go where was asked.
  function navigate(request, target) {
    if (sequenced) {
      var word = request === "choice" ? "{target=" + target + "}choice" : request;
      if (running()) {
        api.SetValue("adl.nav.request", word);
        unloadThen(function () {
          if (running()) {
            api.Terminate("");
          }
        });
      } else {
        api.processNavigationRequest(request, target);
      }
      return;
    }
    var destination = request === "choice" ? target : neighbour(request === "continue" ? 1 : -1);
    if (!destination) {
      return;
    }
    pendingNav = destination;
    unloadThen(function () {
      if (running()) {
        api[is2004 ? "Terminate" : "LMSFinish"]("");
      }
      pendingNav = null;
      loadItem(destination);
    });
  }

  function unloadThen(next) {
    var done = false;
    function once() {
      if (!done) {
        done = true;
        frame.removeEventListener("load", once);
        next();
      }
    }
    frame.addEventListener("load", once);
    frame.src = "about:blank";
    setTimeout(once, 3000);
  }

  function hidden(token) {
    return !!(validity && validity.hideLmsUi && validity.hideLmsUi.indexOf(token) >= 0);
  }

  function renderFlow() {
    if (ended) {
      return;
    }
    var items = launchable();
    var footer = document.getElementById("flow-nav");
    var previous = document.getElementById("nav-previous");
    var next = document.getElementById("nav-continue");
    if (sequenced) {
      footer.hidden = false;
      previous.hidden = hidden("previous");
      next.hidden = hidden("continue");
      previous.disabled = !(validity && validity.previous);
      next.disabled = !(validity && validity.continue);
      return;
    }
    footer.hidden = items.length < 2;
    previous.disabled = !neighbour(-1);
    var following = neighbour(1);
    next.disabled = !following || !choiceAllowed(following);
  }

  function renderToc() {
    if (ended) {
      return;
    }
    var nav = document.getElementById("toc");
    var list = document.getElementById("toc-list");
    var items = launchable();
    if (items.length < 2) {
      nav.hidden = true;
      return;
    }
    nav.hidden = false;
    list.textContent = "";
    config.toc.forEach(function (entry) {
      if (!entry.visible) {
        return; // adlcp:isvisible="false": not shown in the contents (CAM 3.4.1.4)
      }
      var li = document.createElement("li");
      li.style.setProperty("--depth", entry.depth);
      if (!entry.launch) {
        var heading = document.createElement("span");
        heading.className = "toc-heading";
        heading.textContent = entry.title;
        li.appendChild(heading);
      } else {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "toc-item";
        button.setAttribute("data-item", entry.id);
        button.textContent = entry.title;
        var allowed = choiceAllowed(entry.id) || (current && current.item === entry.id);
        if (!allowed) {
          button.disabled = true;
          var why = document.createElement("span");
          why.className = "visually-hidden";
          why.textContent = " (not available yet)";
          button.appendChild(why);
        }
        if (current && current.item === entry.id) {
          button.setAttribute("aria-current", "step");
        }
        button.addEventListener("click", function () {
          if (!current || current.item !== entry.id) {
            navigate("choice", entry.id);
          }
        });
        li.appendChild(button);
      }
      list.appendChild(li);
    });
  }

  document.getElementById("nav-previous").addEventListener("click", function () {
    navigate("previous");
  });
  document.getElementById("nav-continue").addEventListener("click", function () {
    navigate("continue");
  });
  document.getElementById("toc-toggle").addEventListener("click", function () {
    var list = document.getElementById("toc-list");
    var open = this.getAttribute("aria-expanded") === "true";
    this.setAttribute("aria-expanded", open ? "false" : "true");
    list.hidden = open;
  });

  // -- the page going away ----------------------------------------------------------------------------------
  function flushNow() {
    transport.unloading = true;
    transport.flushByBeacon();
    if (dirty && running()) {
      api.storeData(false); // arrives in the transport, which now sends by beacon
    }
  }
  window.addEventListener("pagehide", flushNow);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      flushNow();
    } else {
      transport.unloading = false;
    }
  });

  // -- start ------------------------------------------------------------------------------------------------
  // A saved activity tree resumes: after a suspendAll by resumeAll (SN NB.2.1), mid-activity at the activity
  // the learner was in, after the session ended (exitAll, the end) by a new start.
  function startSequencing() {
    var saved = {};
    var resumed = false;
    if (config.resumeSequencing && api.deserializeSequencingState) {
      try {
        resumed = api.deserializeSequencingState(config.resumeSequencing) === true;
        saved = JSON.parse(config.resumeSequencing).sequencing || {};
      } catch (error) {
        resumed = false;
      }
    }
    if (resumed && saved.suspendedActivity && !saved.currentActivity) {
      if (!api.processNavigationRequest("resumeAll")) {
        loadItem(config.startItem);
      }
    } else if (resumed && saved.currentActivity && config.startItem) {
      loadItem(config.startItem);
    } else if (!api.processNavigationRequest("start") && resumed && config.startItem) {
      loadItem(config.startItem);
    }
  }

  if (window.matchMedia && window.matchMedia("(max-width: 40rem)").matches) {
    document.getElementById("toc-toggle").setAttribute("aria-expanded", "false");
    document.getElementById("toc-list").hidden = true;
  }
  renderToc();
  renderFlow();
  if (sequenced) {
    startSequencing();
  } else {
    loadItem(config.startItem);
  }
})();
