/* Portal behaviour that needs JavaScript. Served from our origin (CSP
 * script-src 'self'); pages work without it. Kept tiny on purpose.
 *
 * - data-confirm="question" on a form, or on the button that submits it (or a
 *   link), asks before the step is taken (phase changes, 立案/交办, replies,
 *   closing). Without JavaScript the step is taken as before; the server still
 *   refuses what is not allowed, with the reason. */
(function () {
  "use strict";

  var KEY = "portal-large-text";
  var root = document.documentElement;

  // Runs in <head>: apply the saved text size before the first paint.
  try {
    if (window.localStorage.getItem(KEY) === "1") {
      root.classList.add("large-text");
    }
  } catch (e) {
    /* storage blocked (private mode, some in-app browsers): ignore */
  }

  function syncToggle(button) {
    button.setAttribute(
      "aria-pressed",
      root.classList.contains("large-text") ? "true" : "false"
    );
  }

  // The question of the button that submitted (event.submitter where the
  // browser has it, else the last clicked submit button), else the form's.
  var lastSubmitter = null;
  document.addEventListener(
    "click",
    function (event) {
      var target = event.target.closest ? event.target.closest("button, input, a") : null;
      if (!target) {
        return;
      }
      if (target.tagName === "A") {
        var question = target.getAttribute("data-confirm");
        if (question && !window.confirm(question)) {
          event.preventDefault();
        }
        return;
      }
      lastSubmitter = target;
    },
    true
  );
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var button = event.submitter || lastSubmitter;
      lastSubmitter = null;
      if (button && button.form !== form) {
        button = null;
      }
      var question =
        (button && button.getAttribute("data-confirm")) ||
        form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        event.preventDefault();
      }
    },
    true
  );

  document.addEventListener("DOMContentLoaded", function () {
    var toggles = document.querySelectorAll("[data-text-size-toggle]");
    Array.prototype.forEach.call(toggles, function (button) {
      button.hidden = false;
      syncToggle(button);
      button.addEventListener("click", function () {
        var on = root.classList.toggle("large-text");
        try {
          window.localStorage.setItem(KEY, on ? "1" : "0");
        } catch (e) {
          /* not persisted; still applies to this page */
        }
        Array.prototype.forEach.call(toggles, syncToggle);
      });
    });
  });
})();

/* After a server-side form error the page opens with the focus on the error
 * summary (templates/components/form_errors.html), not on the page body. */
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusErrorSummary);
  } else {
    focusErrorSummary();
  }
})();
