// Passkeys (WebAuthn) for the Security page, the login's second step and
// re-authentication, and the print button of the recovery codes. The server checks
// everything; this only carries the browser's answer to it.
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  function showError(form, text) {
    var box = form.querySelector("[data-passkey-error]");
    if (box) {
      box.textContent = text;
      box.hidden = false;
    }
  }

  function supported() {
    return window.PublicKeyCredential &&
      typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function" &&
      typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function";
  }

  function postJSON(url, form, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(form) },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.detail || response.statusText); }
        return data;
      });
    });
  }

  function unsupportedText(form) {
    return form.getAttribute("data-unsupported") || "This browser cannot use passkeys.";
  }

  // The browser's own errors (cancelled, timed out) are in its language and jargon:
  // say it in the page's words; the server's refusals are already translated.
  function failed(form) {
    return function (error) {
      var fromBrowser = typeof DOMException !== "undefined" && error instanceof DOMException;
      showError(form, fromBrowser ? (form.getAttribute("data-failed") || error.message) : error.message);
    };
  }

  // Sign the server's challenge, put the answer in the form and submit it.
  function signAndSubmit(form) {
    if (!supported()) { showError(form, unsupportedText(form)); return; }
    postJSON(form.getAttribute("data-options-url"), form)
      .then(function (options) {
        return navigator.credentials.get({
          publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options)
        });
      })
      .then(function (credential) {
        form.querySelector("input[name='credential']").value = JSON.stringify(credential.toJSON());
        var action = form.querySelector("input[name='action']");
        if (action) { action.value = "passkey"; }
        form.submit();
      })
      .catch(failed(form));
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-passkey-login]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        signAndSubmit(form);
      });
    });

    document.querySelectorAll("form[data-passkey-reauth]").forEach(function (form) {
      var button = form.querySelector("[data-passkey-instead]");
      if (button) {
        button.addEventListener("click", function () { signAndSubmit(form); });
      }
    });

    document.querySelectorAll("form[data-passkey-register]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (!supported()) { showError(form, unsupportedText(form)); return; }
        var name = form.querySelector("input[name='name']").value;
        postJSON(form.getAttribute("data-begin-url"), form, { name: name })
          .then(function (options) {
            return navigator.credentials.create({
              publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options)
            });
          })
          .then(function (credential) {
            return postJSON(form.action, form, { credential: credential.toJSON() });
          })
          .then(function (data) { window.location.assign(data.redirect); })
          .catch(failed(form));
      });
    });

    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
