// After a SCO terminates: carry out the navigation request it left in adl.nav.request (SCORM 2004 RTE 4.2 /
// SN OP.1), or for SCORM 1.2 move on as a plain sequence of items.
(function (P) {
  "use strict";

  var state = P.state;
  var say = P.messages.say;
  var navigation = P.navigation;
  var showEnd = P.endScreen.showEnd;

  function afterTerminate(request) {
    state.dirty = false;
    navigation.renderFlow();
    if (state.ended || state.pendingNav !== null) {
      return;
    }
    if (P.sequenced) {
      // scorm-again's sequencer has acted already (delivery or session end); say so when it did neither.
      if (!state.navOutcome.delivered && !state.navOutcome.sessionEnd) {
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
    if (request === "suspendAll") {
      showEnd("suspended");
      return;
    }
    if (request === "exitAll" || request === "abandonAll") {
      showEnd("finished");
      return;
    }
    var destination = destinationOf(request);
    if (destination && navigation.choiceAllowed(destination)) {
      P.delivery.loadItem(destination);
    } else if (navigation.launchable().length > 1) {
      say("This part is finished. Use Continue or the contents to go on.");
    } else {
      showEnd("finished");
    }
  }

  function destinationOf(request) {
    if (request === "continue" || request === "previous") {
      return navigation.neighbour(request === "continue" ? 1 : -1);
    }
    var choice = /^\{target=([^}]+)\}(?:choice|jump)$/.exec(request);
    return choice && isLaunchable(choice[1]) ? choice[1] : null;
  }

  function isLaunchable(itemId) {
    return P.config.toc.some(function (entry) {
      return entry.id === itemId && !!entry.launch;
    });
  }

  P.requests = { afterTerminate: afterTerminate };
})(window.CareCertPlayer);
