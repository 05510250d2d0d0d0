// scorm-again's IHttpService: every Commit (and the one at Terminate) arrives here with its commitSequence and
// goes to the tool's commit endpoint one at a time, the newest data of each SCO session only, retried with
// backoff when the network fails, and by sendBeacon when the SCO or the whole page goes away.
(function (P) {
  "use strict";

  var config = P.config;
  var state = P.state;
  var messages = P.messages;
  var BEACON_LIMIT = P.BEACON_LIMIT;

  function Transport() {
    this.queue = []; // [{key, url, body}]: the newest commit of each SCO session, oldest session first
    this.busy = false;
    this.failures = 0;
    this.unloading = false;
    this.stopped = false;
    this.acknowledged = {}; // suspend_data the server has stored, per SCO session
  }

  Transport.prototype.processHttpRequest = function (url, params, immediate, apiLog, listeners, metadata) {
    if (config.review || !state.current) {
      return { result: "true", errorCode: 0 };
    }
    var terminate = !!(metadata && metadata.isTerminateCommit) || !!immediate;
    var entry = {
      key: state.current.commitUrl,
      url: state.current.commitUrl + (terminate ? "&terminate=true" : ""),
      body: JSON.stringify(terminate && P.is2004 ? withNavRequest(params) : params),
    };
    state.dirty = false;
    if (this.unloading || terminate) {
      // The session's last commit goes by beacon: it survives the SCO's (or the whole page's) unloading.
      this.drop(entry.key);
      if (this.beacon(entry)) {
        messages.showSaved();
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
    var api = P.api;
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
    messages.showStatus("Saving…", "saving");
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
        self.failed();
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
      this.failed();
      return;
    }
    this.failures = 0;
    if (status === 200) {
      this.stored(entry, answer);
    } else {
      this.refused(status, answer);
    }
    this.done(entry);
  };

  Transport.prototype.stored = function (entry, answer) {
    var data = JSON.parse(entry.body);
    this.acknowledged[entry.key] = data.cmi ? data.cmi.suspend_data : undefined;
    messages.showProblem("");
    messages.showSaved();
    if (answer.locked) {
      state.locked = answer.locked; // the server's rules may have opened (or closed) items of the contents
      P.toc.render();
    }
  };

  Transport.prototype.refused = function (status, answer) {
    if (answer.code === "COMMIT-OUT-OF-ORDER" || answer.code === "COMMIT-SEQUENCE-REPEATED") {
      return; // a newer commit of the same data was stored already: nothing is lost
    }
    messages.showStatus("Not saved", "failed");
    if (answer.code === "COMMIT-STALE") {
      this.stopped = true;
      messages.showProblem("This unit is open in another window or tab, so this one no longer saves. Close this one and carry on in the other.");
    } else if (status === 401) {
      this.stopped = true;
      messages.showProblem("Your session has ended, so your latest changes could not be saved. Open the unit again from your course.");
    } else {
      messages.showProblem("Some of your latest answers could not be saved (" + (answer.message || "the server refused them") + "). Please tell your trainer.");
    }
  };

  Transport.prototype.failed = function () {
    var self = this;
    this.failures += 1;
    var wait = Math.min(30, Math.pow(2, this.failures));
    messages.showStatus("Not saved yet", "failed");
    messages.showProblem("We could not save your progress just now. We will try again in " + wait + " seconds: please keep this page open.");
    setTimeout(function () {
      self.busy = false;
      self.pump();
    }, wait * 1000);
  };

  P.transport = new Transport();
})(window.CareCertPlayer);
