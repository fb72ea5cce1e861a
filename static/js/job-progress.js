/* Background jobs (roster imports, supervision reports): poll the job's JSON
 * status ({percent, progress_text, status_label, running}), show the progress
 * and reload the page once it is finished. Loaded from our origin (CSP
 * script-src 'self'); the pages also work without it. */
(function () {
  "use strict";

  var POLL_MS = 1500;
  var RETRY_MS = 5000;

  function watch(box) {
    var url = box.getAttribute("data-job-status-url");
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-job-progress-text]");
    var label = box.querySelector("[data-job-status-label]");

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
    Array.prototype.forEach.call(document.querySelectorAll("[data-job-status-url]"), watch);
  });
})();
