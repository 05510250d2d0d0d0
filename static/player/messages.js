// What the learner is told: the saved indicator, the saving problem (an alert) and the message above the SCO.
(function (P) {
  "use strict";

  var statusBox = document.getElementById("save-status");
  var problemBox = document.getElementById("save-problem");
  var messageBox = document.getElementById("sco-message");

  function showStatus(text, state) {
    statusBox.textContent = text;
    statusBox.setAttribute("data-state", state);
  }

  function showSaved() {
    var now = new Date();
    showStatus("Saved at " + ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2), "saved");
  }

  function showProblem(text) {
    problemBox.textContent = text;
    problemBox.hidden = !text;
  }

  // The message is a live region kept in the page (empty when quiet), so screen readers announce changes.
  function say(text) {
    messageBox.textContent = text;
  }

  P.messages = { showStatus: showStatus, showSaved: showSaved, showProblem: showProblem, say: say };
})(window.CareCertPlayer);
