// The player's shared namespace (window.CareCertPlayer): the page's config and the state the other player
// files read and change. Plain <script> tags share through it, so there is no build step.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("player-config").textContent);
  var is2004 = config.version === "2004";

  window.CareCertPlayer = {
    config: config,
    is2004: is2004,
    sequenced: is2004 && !!config.sequencing,
    frame: document.getElementById("sco"),
    tokenQuery: "lt=" + encodeURIComponent(config.token),
    BEACON_LIMIT: 60000, // browsers refuse beacons and keepalive fetches above about 64 KB in flight
    state: {
      current: null, // {item, delivery, commitUrl}
      locked: config.locked || [],
      validity: null, // SCORM 2004: the sequencing engine's last navigation validity
      pendingNav: null,
      dirty: false,
      ended: null, // the end screen shown once the learner's session in this page is over
      navOutcome: { delivered: false, sessionEnd: null }, // what the sequencer did after the last Terminate
    },
  };
})();
