// Help centre articles suggested while a customer types the subject of a new request.
// Without this script the form works as before; the list only adds a way out.
(function () {
  "use strict";
  var WAIT_MS = 300;
  var MIN_LENGTH = 3;

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-help-suggestions]");
    var subject = document.getElementById("id_subject");
    if (!box || !subject || !window.fetch) { return; }
    var url = box.getAttribute("data-help-suggestions");
    var timer = null;
    var latest = 0;

    function load() {
      var text = subject.value.trim();
      var asked = ++latest;
      if (text.length < MIN_LENGTH) { box.innerHTML = ""; return; }
      fetch(url + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        return response.ok ? response.text() : "";
      }).then(function (html) {
        // An older answer arriving after a newer one must not replace it.
        if (asked === latest) { box.innerHTML = html.trim(); }
      }).catch(function () { /* Suggestions are a convenience: say nothing. */ });
    }

    subject.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, WAIT_MS);
    });
    if (subject.value) { load(); }
  });
})();
