// The end screens: a plain page in place of the SCO's frame once the learner's session in this page is over.
(function (P) {
  "use strict";

  var END_SCREENS = {
    suspended: ["Your place is saved.", "You can close this page. When you open this unit again, you will carry on from here."],
    finished: ["You have finished this session.", "Your progress is saved. You can close this page."],
    end_of_content: ["You have reached the end of this unit.", "Your progress is saved. You can close this page."],
  };

  // Focus goes to the heading so a screen reader announces it.
  function showEnd(kind) {
    var words = END_SCREENS[kind] || END_SCREENS.finished;
    var more = document.body.getAttribute("data-more-attempts") === "yes";
    P.state.ended = kind;
    P.frame.src = "about:blank";
    P.frame.hidden = true;
    P.messages.say("");
    document.getElementById("toc").hidden = true;
    document.getElementById("flow-nav").hidden = true;
    document.getElementById("end-title").textContent = words[0];
    document.getElementById("end-text").textContent = P.config.review ? "Nothing you did changed your result. You can close this page." : words[1];
    document.getElementById("end-new-attempt").hidden = kind === "suspended" || !more;
    document.getElementById("end-screen").hidden = false;
    document.getElementById("end-title").focus();
  }

  // The sequencer ended the session (scorm-again's reasons): save where it stopped, then say how it ended.
  function sessionOver(reason) {
    P.delivery.saveSequencingState();
    showEnd(reason === "suspend_all" ? "suspended" : reason === "end_of_content" ? "end_of_content" : "finished");
  }

  document.getElementById("end-reopen").addEventListener("click", function () {
    window.location.href = "/player?" + P.tokenQuery;
  });

  P.endScreen = { showEnd: showEnd, sessionOver: sessionOver };
})(window.CareCertPlayer);
