// Roster review UI: keyboard shortcuts. Plain JavaScript, no dependencies;
// served from the same origin (the CSP allows nothing else).
(function () {
  "use strict";

  function typing(el) {
    if (!el) return false;
    var t = el.tagName;
    return t === "INPUT" || t === "TEXTAREA" || t === "SELECT" || el.isContentEditable;
  }

  function follow(rel) {
    var a = document.querySelector('a[rel="' + rel + '"]');
    if (a) { window.location.href = a.href; return true; }
    return false;
  }

  // Queue: j/k move a selection through the rows; Enter opens.
  var selected = -1;
  function queueMove(delta) {
    var links = document.querySelectorAll("#queue a.item-link");
    if (!links.length) return;
    selected = Math.max(0, Math.min(links.length - 1, selected + delta));
    links.forEach(function (l, i) {
      l.closest("tr").classList.toggle("selected", i === selected);
    });
    links[selected].focus();
  }

  function decide(key) {
    var form = document.getElementById("decide");
    if (!form) return false;
    var btn = form.querySelector('button[data-key="' + key + '"]');
    if (!btn) return false;
    var reason = form.querySelector("#reason");
    if (reason && !reason.value.trim()) {
      // A decision needs a reason: let the browser say so, in the box.
      reason.focus();
      reason.reportValidity();
      return true;
    }
    form.requestSubmit(btn);
    return true;
  }

  function toggleHelp() {
    var d = document.getElementById("help");
    if (!d) return;
    if (d.open) d.close(); else d.showModal();
  }

  // A box a key opens, focused when that key is released.
  var focusOnKeyUp = "";
  document.addEventListener("keyup", function () {
    if (!focusOnKeyUp) return;
    var el = document.getElementById(focusOnKeyUp);
    focusOnKeyUp = "";
    if (el) { el.focus(); if (el.select && el.id === "q") el.select(); }
  });

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var el = document.activeElement;
    if (typing(el)) {
      if (e.key === "Escape") { el.blur(); e.preventDefault(); }
      return;
    }
    var page = document.body.getAttribute("data-page");
    var done = false;
    // On a Russian or Azerbaijani keyboard layout a letter key gives its
    // own letter (ы, not s): read the key's place instead.
    var key = e.key;
    if (/[^\x00-\x7f]/.test(key) && /^Key[A-Z]$/.test(e.code)) key = e.code.slice(3).toLowerCase();
    switch (key) {
      case "?": toggleHelp(); done = true; break;
      case "/":
        var q = document.getElementById("q");
        if (q) { focusOnKeyUp = "q"; done = true; }
        break;
      case "j": done = page === "queue" ? (queueMove(1), true) : follow("next"); break;
      case "k": done = page === "queue" ? (queueMove(-1), true) : follow("prev"); break;
      case "s": case "d": case "u": case "x": case "c": case "n": case "o": case "a": case "m":
        // A verdict key: only the verdicts this item offers have a button.
        done = decide(key);
        break;
      case "r":
        // The box opens when the key is released: focused now, it would
        // receive the "r" itself.
        if (document.getElementById("reason")) { focusOnKeyUp = "reason"; done = true; }
        break;
    }
    if (done) e.preventDefault();
  });

  // Submitting twice (a double key press) would only meet a conflict:
  // disable the buttons once a decision is on its way.
  var form = document.getElementById("decide");
  if (form) {
    form.addEventListener("submit", function () {
      setTimeout(function () {
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  }
})();
