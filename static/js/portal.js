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

  // A table frame that scrolls sideways (.table-wrap, the reports' .rep-table__scroll)
  // becomes a keyboard stop, named after its table, so arrow keys can scroll it
  // (WCAG 2.1.1; axe's scrollable-region-focusable). Frames that fit stay out of
  // the tab order. Re-checked when the window changes size.
  function tableName(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      return caption.textContent.trim();
    }
    var section = wrap.closest("[aria-labelledby]");
    var title = section && document.getElementById(section.getAttribute("aria-labelledby"));
    if (!title) {
      for (var el = wrap.previousElementSibling; el; el = el.previousElementSibling) {
        if (/^H[1-6]$/.test(el.tagName)) {
          title = el;
          break;
        }
      }
    }
    if (title && title.textContent.trim()) {
      return title.textContent.trim().replace(/\s+/g, " ");
    }
    var h1 = document.querySelector("h1");
    return h1 ? h1.textContent.trim() : document.title;
  }

  function markScrollRegions() {
    var wraps = document.querySelectorAll(".table-wrap, .rep-table__scroll");
    Array.prototype.forEach.call(wraps, function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      var ours = wrap.hasAttribute("data-scroll-region");
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        // Remember what was added, so a frame that fits again loses only that.
        var added = ["tabindex"];
        wrap.setAttribute("tabindex", "0");
        if (!wrap.hasAttribute("role")) {
          wrap.setAttribute("role", "region");
          added.push("role");
        }
        if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
          wrap.setAttribute("aria-label", tableName(wrap));
          added.push("aria-label");
        }
        wrap.setAttribute("data-scroll-region", added.join(" "));
      } else if (!scrolls && ours) {
        wrap.getAttribute("data-scroll-region").split(" ").forEach(function (name) {
          wrap.removeAttribute(name);
        });
        wrap.removeAttribute("data-scroll-region");
      }
    });
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(markScrollRegions, 150);
  });

  document.addEventListener("DOMContentLoaded", function () {
    markScrollRegions();
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
