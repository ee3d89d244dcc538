// The Support PIN bar: a live countdown, and the new PIN fetched at the half hour and
// every minute (a PIN burnt by a verification is replaced at once). Without JavaScript the
// bar shows the PIN and the time it changes.
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function start(bar) {
    var pinEl = bar.querySelector("[data-pin]");
    var timeEl = bar.querySelector("[data-changes-at]");
    var countdownEl = bar.querySelector("[data-countdown]");
    var url = bar.getAttribute("data-refresh-url");
    var changesAt = Date.now() + parseInt(bar.getAttribute("data-seconds-left"), 10) * 1000;
    var lastFetch = Date.now();
    var fetching = false;

    function refresh() {
      if (fetching) { return; }
      fetching = true;
      lastFetch = Date.now();
      fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          if (pinEl.textContent !== data.pin) { pinEl.textContent = data.pin; }
          timeEl.textContent = data.changes_at_display;
          timeEl.setAttribute("datetime", data.changes_at);
          changesAt = Date.now() + data.seconds_left * 1000;
        })
        .catch(function () {})
        .then(function () { fetching = false; });
    }

    function tick() {
      var left = Math.max(0, Math.round((changesAt - Date.now()) / 1000));
      countdownEl.textContent = "(" + Math.floor(left / 60) + ":" + pad(left % 60) + ")";
      if (left === 0 || Date.now() - lastFetch >= 60000) { refresh(); }
    }

    tick();
    window.setInterval(tick, 1000);
  }

  // The room the page keeps for the bar follows its height, which changes as it wraps.
  function reserveRoom(bar) {
    function update() {
      var height = Math.ceil(bar.getBoundingClientRect().height);
      document.documentElement.style.setProperty("--pin-bar-height", height + "px");
    }
    update();
    if (window.ResizeObserver) { new ResizeObserver(update).observe(bar); }

    // A browser leaves a focused field where it is when part of it shows, even if the bar
    // covers the rest: lift it above the bar, keeping its top in view.
    document.addEventListener("focusin", function (event) {
      var field = event.target.getBoundingClientRect();
      var covered = field.bottom - bar.getBoundingClientRect().top + 8;
      if (covered > 0) { window.scrollBy(0, Math.min(covered, field.top - 8)); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var bar = document.querySelector("[data-pin-bar]");
    if (bar) { reserveRoom(bar); }
    if (bar && window.fetch) { start(bar); }
  });
})();
