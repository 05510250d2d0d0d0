// Delivering a SCO: the server seeds its data model and names its launch URL, the frame loads it; for SCORM
// 2004 with sequencing the engine's state is saved after each delivery so a later launch resumes there.
(function (P) {
  "use strict";

  var config = P.config;
  var state = P.state;
  var say = P.messages.say;

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

  function attemptQuery() {
    return P.tokenQuery + "&a=" + config.attempt;
  }

  function loadItem(itemId) {
    var path = "/player/deliver?" + attemptQuery() + "&i=" + encodeURIComponent(itemId) + (config.review ? "&review=1" : "");
    say("Opening…");
    return postJson(path)
      .then(start)
      .catch(function (error) {
        say(error.message);
      });
  }

  function start(answer) {
    var api = P.api;
    if (!api.isNotInitialized()) {
      api.reset();
    }
    state.current = {
      item: answer.item,
      delivery: answer.delivery,
      commitUrl: "/player/commit?" + attemptQuery() + "&i=" + encodeURIComponent(answer.item) + "&d=" + answer.delivery,
    };
    api.loadFromJSON(answer.seed, "");
    P.frame.hidden = false;
    P.frame.src = contentUrl(answer.launch);
    say("");
    P.toc.render();
    P.navigation.renderFlow();
    saveSequencingState();
  }

  function contentUrl(launch) {
    if (config.bridge) {
      return config.contentBase + config.bridge + "?start=" + encodeURIComponent(launch);
    }
    return config.contentBase + launch;
  }

  function saveSequencingState() {
    var api = P.api;
    if (!P.sequenced || config.review || !api.serializeSequencingState) {
      return;
    }
    try {
      var serialized = api.serializeSequencingState();
      fetch("/player/sequencing?" + attemptQuery(), {
        method: "POST",
        body: serialized,
        credentials: "omit",
        keepalive: serialized.length < P.BEACON_LIMIT, // a suspendAll's state must arrive though the learner leaves
      }).catch(function () {});
    } catch (error) {
      void error;
    }
  }

  P.delivery = { loadItem: loadItem, saveSequencingState: saveSequencingState };
})(window.CareCertPlayer);
