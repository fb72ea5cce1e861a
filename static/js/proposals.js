/* Bills and suggestions: small enhancements; every page works without them.
 * - the write form: similar suggestions while the title is typed (debounced),
 *   案由/案据/方案 labels for a bill, co-signers of the chosen congress only;
 * - the assign form: show the units of the chosen mode only;
 * (data-confirm questions are asked by portal.js, for every app.)
 * Served from our origin (CSP script-src 'self'); no inline script. */
(function () {
  "use strict";

  var DELAY = 400;

  function each(nodes, fn) {
    Array.prototype.forEach.call(nodes, fn);
  }

  function checkedValue(form, name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : "";
  }

  function setupSimilar(form) {
    var url = form.getAttribute("data-similar-url");
    var panel = form.querySelector("[data-similar-panel]");
    var list = form.querySelector("[data-similar-list]");
    var title = form.querySelector('input[name="title"]');
    var congress = form.querySelector('select[name="congress"]');
    if (!url || !panel || !list || !title) {
      return;
    }
    var timer = null;
    var last = "";
    var controller = null;

    function render(results) {
      list.textContent = "";
      results.forEach(function (item) {
        var li = document.createElement("li");
        var label = item.title;
        if (item.url) {
          var a = document.createElement("a");
          a.href = item.url;
          a.textContent = label;
          a.target = "_blank";
          a.rel = "noopener";
          li.appendChild(a);
        } else {
          li.appendChild(document.createTextNode(label));
        }
        var meta = document.createElement("span");
        meta.className = "small";
        meta.textContent = [item.number_display, item.status].filter(Boolean).join(" ");
        li.appendChild(meta);
        list.appendChild(li);
      });
      panel.hidden = results.length === 0;
    }

    function lookup() {
      var text = title.value.trim();
      var congressId = congress ? congress.value : form.getAttribute("data-congress");
      var key = congressId + "|" + text;
      if (key === last) {
        return;
      }
      last = key;
      if (text.length < 4 || !congressId) {
        render([]);
        return;
      }
      var params = new URLSearchParams({ congress: congressId, text: text });
      if (form.getAttribute("data-year")) {
        params.set("year", form.getAttribute("data-year"));
      }
      if (form.getAttribute("data-exclude")) {
        params.set("exclude", form.getAttribute("data-exclude"));
      }
      if (controller && controller.abort) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?" + params.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          render(data.results || []);
        })
        .catch(function () {
          /* offline or aborted: the detail page shows similar ones after saving */
        });
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, DELAY);
    }

    title.addEventListener("input", schedule);
    if (congress) {
      congress.addEventListener("change", schedule);
    }
    if (title.value.trim()) {
      schedule();
    }
  }

  function setupKindLabels(form) {
    var radios = form.querySelectorAll('input[name="kind"]');
    var labels = form.querySelectorAll("label[data-label-bill]");
    if (!radios.length || !labels.length) {
      return;
    }
    function apply() {
      var kind = checkedValue(form, "kind") || "suggestion";
      each(labels, function (label) {
        label.textContent = label.getAttribute(
          kind === "bill" ? "data-label-bill" : "data-label-suggestion"
        );
      });
    }
    each(radios, function (radio) {
      radio.addEventListener("change", apply);
    });
    apply();
  }

  function setupCosigners(form) {
    var congress = form.querySelector('select[name="congress"]');
    var select = form.querySelector('select[name="co_signers"]');
    if (!congress || !select) {
      return;
    }
    var groups = select.querySelectorAll("optgroup");
    if (groups.length < 2) {
      return;
    }
    function apply() {
      var chosen = congress.options[congress.selectedIndex];
      var name = chosen ? chosen.textContent.trim() : "";
      each(groups, function (group) {
        var same = group.label === name;
        group.hidden = !same;
        group.disabled = !same;
      });
    }
    congress.addEventListener("change", apply);
    apply();
  }

  function setupAssign(form) {
    var sections = form.querySelectorAll("[data-mode]");
    function apply() {
      var mode = checkedValue(form, "mode") || "lead";
      each(sections, function (section) {
        section.hidden = section.getAttribute("data-mode") !== mode;
      });
    }
    each(form.querySelectorAll('input[name="mode"]'), function (radio) {
      radio.addEventListener("change", apply);
    });
    apply();
  }

  document.addEventListener("DOMContentLoaded", function () {
    each(document.querySelectorAll("form[data-similar-url]"), function (form) {
      setupSimilar(form);
      setupKindLabels(form);
      setupCosigners(form);
    });
    each(document.querySelectorAll("form[data-assign-form]"), setupAssign);
  });
})();
