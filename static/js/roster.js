/* Roster import page: poll the job's JSON status while it is validated or
 * imported in the background, show the progress, and reload once it is
 * finished; ask before committing and prevent a double submit. Loaded from
 * our origin (CSP script-src 'self'); the page also works without it. */
(function () {
  "use strict";

  var POLL_MS = 1000;
  var RETRY_MS = 4000;

  function watch(box) {
    var url = box.getAttribute("data-roster-status-url");
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-roster-progress-text]");
    var label = box.querySelector("[data-roster-status-label]");

    function show(data) {
      if (bar) {
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
      }
      if (text) {
        text.textContent = data.progress_text;
      }
      if (label) {
        label.textContent = data.status_label;
      }
    }

    function poll() {
      window
        .fetch(url, {
          credentials: "same-origin",
          cache: "no-store",
          headers: { Accept: "application/json" }
        })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(function (data) {
          show(data);
          if (data.running) {
            window.setTimeout(poll, POLL_MS);
          } else {
            window.location.reload();
          }
        })
        .catch(function () {
          window.setTimeout(poll, RETRY_MS);
        });
    }

    window.setTimeout(poll, POLL_MS);
  }

  function guard(form) {
    form.addEventListener("submit", function (event) {
      var question = form.getAttribute("data-roster-confirm");
      if (form.getAttribute("data-submitted") === "1") {
        event.preventDefault();
        return;
      }
      if (question && !window.confirm(question)) {
        event.preventDefault();
        return;
      }
      form.setAttribute("data-submitted", "1");
      Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) {
        b.disabled = true;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.fetch) {
      Array.prototype.forEach.call(
        document.querySelectorAll("[data-roster-status-url]"),
        watch
      );
    }
    Array.prototype.forEach.call(
      document.querySelectorAll("form[data-roster-confirm]"),
      guard
    );
  });
})();
