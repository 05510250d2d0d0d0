// scorm-again's SCORM API for the SCO in the iframe (window.API or window.API_1484_11), committing through
// the transport, and for SCORM 2004 with sequencing its engine, whose events drive delivery and the end.
(function (P) {
  "use strict";

  var config = P.config;
  var state = P.state;
  var is2004 = P.is2004;

  function apiSettings() {
    var settings = {
      autocommit: !config.review,
      autocommitSeconds: config.autosaveSeconds || 10,
      lmsCommitUrl: config.review ? false : "/player/commit",
      dataCommitFormat: "json",
      includeCommitSequence: true,
      sendFullCommit: true,
      autoCompleteLessonStatus: true,
      logLevel: 5,
      httpService: P.transport,
    };
    if (P.sequenced) {
      settings.sequencing = JSON.parse(JSON.stringify(config.sequencing));
      settings.sequencing.eventListeners = sequencingListeners();
    }
    return settings;
  }

  // Deferred by setTimeout: the engine calls these in the middle of its own work.
  function sequencingListeners() {
    return {
      onActivityDelivery: function (activity) {
        state.navOutcome.delivered = true;
        setTimeout(function () {
          P.delivery.loadItem(activity.id);
        }, 0);
      },
      onNavigationValidityUpdate: function (update) {
        state.validity = update;
        P.toc.render();
        P.navigation.renderFlow();
      },
      onSequencingSessionEnd: function (data) {
        state.navOutcome.sessionEnd = (data && data.reason) || "end_of_content";
        setTimeout(function () {
          P.endScreen.sessionOver(state.navOutcome.sessionEnd);
        }, 0);
      },
    };
  }

  function listen(api) {
    api.on(is2004 ? "SetValue.cmi.*" : "LMSSetValue.cmi.*", function () {
      if (!config.review) {
        state.dirty = true;
        P.messages.showStatus("Unsaved changes", "dirty");
      }
    });
    if (P.sequenced) {
      api.on("Initialize", function () {
        setTimeout(askValidity, 0);
      });
    }
    // Terminate's listeners run before scorm-again processes the pending request and clears it: read it here.
    api.on(is2004 ? "Terminate" : "LMSFinish", function () {
      var request = is2004 && api.adl && api.adl.nav ? String(api.adl.nav.request || "_none_") : "_none_";
      state.navOutcome = { delivered: false, sessionEnd: null };
      setTimeout(function () {
        P.requests.afterTerminate(request);
      }, 0);
    });
  }

  // After a resumed sequencing state no validity update has come from the engine yet: ask it, as a SCO
  // would, through adl.nav.request_valid (SCORM 2004 RTE 4.4.1).
  function askValidity() {
    if (!running()) {
      return;
    }
    var api = P.api;
    var asked = {
      continue: api.GetValue("adl.nav.request_valid.continue") === "true",
      previous: api.GetValue("adl.nav.request_valid.previous") === "true",
      choice: {},
      hideLmsUi: state.validity ? state.validity.hideLmsUi : [],
    };
    config.toc.forEach(function (entry) {
      asked.choice[entry.id] = api.GetValue("adl.nav.request_valid.choice.{target=" + entry.id + "}");
    });
    state.validity = asked;
    P.toc.render();
    P.navigation.renderFlow();
  }

  function running() {
    return P.api.isInitialized() && !P.api.isTerminated();
  }

  var ApiClass = is2004 ? window.Scorm2004API : window.Scorm12API;
  var api = new ApiClass(apiSettings(), P.transport);
  window[is2004 ? "API_1484_11" : "API"] = api;
  if (config.contentOrigin && window.CrossFrameLMS) {
    new window.CrossFrameLMS(api, config.contentOrigin); // the SCO on the content origin talks through this
  }
  P.api = api;
  P.running = running;
  listen(api);
})(window.CareCertPlayer);
