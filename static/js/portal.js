// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    // Focus the first field in error so keyboard and screen-reader users land on it.
    var invalid = document.querySelector("main [aria-invalid='true']");
    if (invalid) {
      invalid.focus();
    } else {
      var summary = document.querySelector("[data-error-summary]");
      if (summary) { summary.focus(); }
    }

    // A link of the error summary puts the focus in its field, not only the field in view.
    document.querySelectorAll("[data-error-summary] a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var field = document.getElementById(link.getAttribute("href").slice(1));
        if (field) {
          event.preventDefault();
          field.focus();
        }
      });
    });

    // Buttons that ask before an irreversible action.
    document.querySelectorAll("[data-confirm]").forEach(function (element) {
      element.addEventListener("click", function (event) {
        if (!window.confirm(element.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
})();
