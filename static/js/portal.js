/* Portal behaviour that needs JavaScript. Served from our origin (CSP
 * script-src 'self'); pages work without it. Kept tiny on purpose. */
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
