// The learner's player, started last of the player's scripts (templates/player/player.html loads them in
// order: state, messages, transport, scorm-api, delivery, end-screen, toc, navigation, requests, player).
// Here: the first SCO (or the sequencer's start or resume), and saving when the page goes away.
(function (P) {
  "use strict";

  var config = P.config;
  var api = P.api;
  var transport = P.transport;

  // Hidden pages may never come back (mobile browsers discard them): send what is queued by beacon now.
  function flushNow() {
    transport.unloading = true;
    transport.flushByBeacon();
    if (P.state.dirty && P.running()) {
      api.storeData(false); // arrives in the transport, which now sends by beacon
    }
  }

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
        P.delivery.loadItem(config.startItem);
      }
    } else if (resumed && saved.currentActivity && config.startItem) {
      P.delivery.loadItem(config.startItem);
    } else if (!api.processNavigationRequest("start") && resumed && config.startItem) {
      P.delivery.loadItem(config.startItem);
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

  P.toc.render();
  P.navigation.renderFlow();
  if (P.sequenced) {
    startSequencing();
  } else {
    P.delivery.loadItem(config.startItem);
  }
})(window.CareCertPlayer);
