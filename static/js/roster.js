/* Roster import page: ask before committing and prevent a double submit (the
 * progress bar is job-progress.js). Loaded from our origin (CSP script-src
 * 'self'); the page also works without it. */
(function () {
  "use strict";

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
    Array.prototype.forEach.call(
      document.querySelectorAll("form[data-roster-confirm]"),
      guard
    );
  });
})();
