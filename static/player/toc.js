// The table of contents: one button per launchable item the learner may see, disabled (and saying so to a
// screen reader) while the rules or the sequencer do not allow it; folded away on narrow screens.
(function (P) {
  "use strict";

  var state = P.state;
  var nav = document.getElementById("toc");
  var list = document.getElementById("toc-list");
  var toggle = document.getElementById("toc-toggle");

  function render() {
    if (state.ended) {
      return;
    }
    if (P.navigation.launchable().length < 2) {
      nav.hidden = true;
      return;
    }
    nav.hidden = false;
    // Rebuilding the buttons would drop a keyboard user's focus to the page body (each commit re-renders):
    // remember which item held it and give it back afterwards.
    var focusedItem = list.contains(document.activeElement) ? document.activeElement.getAttribute("data-item") : null;
    list.textContent = "";
    P.config.toc.forEach(function (entry) {
      if (!entry.visible) {
        return; // adlcp:isvisible="false": not shown in the contents (CAM 3.4.1.4)
      }
      var li = document.createElement("li");
      li.style.setProperty("--depth", entry.depth);
      li.appendChild(entry.launch ? itemButton(entry) : heading(entry));
      list.appendChild(li);
    });
    restoreFocus(focusedItem);
  }

  function restoreFocus(itemId) {
    if (itemId === null) {
      return;
    }
    var again = list.querySelector('button[data-item="' + CSS.escape(itemId) + '"]');
    if (again && !again.disabled) {
      again.focus();
    } else {
      toggle.focus(); // the item is gone or locked: stay in the contents rather than fall to the page top
    }
  }

  function heading(entry) {
    var span = document.createElement("span");
    span.className = "toc-heading";
    span.textContent = entry.title;
    return span;
  }

  function itemButton(entry) {
    var isCurrent = !!(state.current && state.current.item === entry.id);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "toc-item";
    button.setAttribute("data-item", entry.id);
    button.textContent = entry.title;
    if (!P.navigation.choiceAllowed(entry.id) && !isCurrent) {
      button.disabled = true;
      var why = document.createElement("span");
      why.className = "visually-hidden";
      why.textContent = " (not available yet)";
      button.appendChild(why);
    }
    if (isCurrent) {
      button.setAttribute("aria-current", "step");
    }
    button.addEventListener("click", function () {
      if (!state.current || state.current.item !== entry.id) {
        P.navigation.navigate("choice", entry.id);
      }
    });
    return button;
  }

  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", open ? "false" : "true");
    list.hidden = open;
  });

  if (window.matchMedia && window.matchMedia("(max-width: 40rem)").matches) {
    toggle.setAttribute("aria-expanded", "false");
    list.hidden = true;
  }

  P.toc = { render: render };
})(window.CareCertPlayer);
