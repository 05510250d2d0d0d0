// Flow navigation (Previous / Continue) and choice from the contents. With SCORM 2004 sequencing the engine
// decides what is allowed; otherwise the player walks the launchable items in order, skipping locked ones.
(function (P) {
  "use strict";

  var config = P.config;
  var state = P.state;

  function launchable() {
    return config.toc.filter(function (entry) {
      return entry.launch && entry.visible;
    });
  }

  function neighbour(step) {
    var items = launchable();
    for (var i = 0; i < items.length; i++) {
      if (state.current && items[i].id === state.current.item) {
        var next = items[i + step];
        return next ? next.id : null;
      }
    }
    return null;
  }

  function choiceAllowed(itemId) {
    if (P.sequenced) {
      return !!(state.validity && state.validity.choice && state.validity.choice[itemId] === "true");
    }
    return state.locked.indexOf(itemId) < 0;
  }

  // Leave the current SCO (its page unloads and normally terminates itself), then go where was asked.
  function navigate(request, target) {
    if (P.sequenced) {
      navigateSequenced(request, target);
      return;
    }
    var destination = request === "choice" ? target : neighbour(request === "continue" ? 1 : -1);
    if (!destination) {
      return;
    }
    state.pendingNav = destination;
    unloadThen(function () {
      if (P.running()) {
        P.api[P.is2004 ? "Terminate" : "LMSFinish"]("");
      }
      state.pendingNav = null;
      P.delivery.loadItem(destination);
    });
  }

  // The request goes to the engine the way a SCO leaves one: in adl.nav.request, acted on at Terminate.
  function navigateSequenced(request, target) {
    var api = P.api;
    if (!P.running()) {
      api.processNavigationRequest(request, target);
      return;
    }
    api.SetValue("adl.nav.request", request === "choice" ? "{target=" + target + "}choice" : request);
    unloadThen(function () {
      if (P.running()) {
        api.Terminate("");
      }
    });
  }

  // A SCO that never terminates itself is terminated after three seconds.
  function unloadThen(next) {
    var done = false;
    function once() {
      if (!done) {
        done = true;
        P.frame.removeEventListener("load", once);
        next();
      }
    }
    P.frame.addEventListener("load", once);
    P.frame.src = "about:blank";
    setTimeout(once, 3000);
  }

  // adlnav:hideLMSUI: the package asks the player to hide its own control for this request.
  function hiddenByPackage(token) {
    return !!(state.validity && state.validity.hideLmsUi && state.validity.hideLmsUi.indexOf(token) >= 0);
  }

  function renderFlow() {
    if (state.ended) {
      return;
    }
    var footer = document.getElementById("flow-nav");
    var previous = document.getElementById("nav-previous");
    var next = document.getElementById("nav-continue");
    if (P.sequenced) {
      footer.hidden = false;
      previous.hidden = hiddenByPackage("previous");
      next.hidden = hiddenByPackage("continue");
      previous.disabled = !(state.validity && state.validity.previous);
      next.disabled = !(state.validity && state.validity.continue);
      return;
    }
    footer.hidden = launchable().length < 2;
    previous.disabled = !neighbour(-1);
    var following = neighbour(1);
    next.disabled = !following || !choiceAllowed(following);
  }

  document.getElementById("nav-previous").addEventListener("click", function () {
    navigate("previous");
  });
  document.getElementById("nav-continue").addEventListener("click", function () {
    navigate("continue");
  });

  P.navigation = {
    launchable: launchable,
    neighbour: neighbour,
    choiceAllowed: choiceAllowed,
    navigate: navigate,
    renderFlow: renderFlow,
  };
})(window.CareCertPlayer);
