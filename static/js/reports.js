/* Supervision reports: while a report is generated in the background, poll its
 * JSON status, show the progress and reload the page once it is finished.
 * Loaded from our origin (CSP script-src 'self'); the page works without it. */
(function () {
  "use strict";

  var POLL_MS = 1500;
  var RETRY_MS = 5000;

  function watch(box) {
    var url = box.getAttribute("data-report-status-url");
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-report-progress-text]");
    var label = box.querySelector("[data-report-status-label]");

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

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.fetch) {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-report-status-url]"), watch);
  });
})();
