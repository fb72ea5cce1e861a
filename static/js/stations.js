/* Stations pages: small conveniences. Everything works without them (CSP:
 * served from our origin, no inline script). */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    // Finder: choosing a county loads its townships (the form also has a button).
    var finder = document.querySelector("[data-st-finder]");
    if (finder) {
      var county = finder.querySelector("select[name='county']");
      if (county) {
        county.addEventListener("change", function () {
          var township = finder.querySelector("select[name='township']");
          if (township) {
            township.value = "";
          }
          finder.submit();
        });
      }
    }

    // "我要反映": a non-blocking hint of similar open opinions (issue 18).
    var hint = document.querySelector("[data-similar-url]");
    var content = document.querySelector(".st-opinion-form textarea[name='content']");
    if (hint && content && window.fetch) {
      content.addEventListener("blur", function () {
        var text = content.value.trim();
        if (text.length < 4) {
          return;
        }
        var url = hint.getAttribute("data-similar-url") + "?text=" + encodeURIComponent(text);
        fetch(url, { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            hint.textContent = "";
            if (!data.results || !data.results.length) {
              hint.hidden = true;
              return;
            }
            var label = document.createElement("p");
            label.textContent = hint.getAttribute("data-similar-label");
            var list = document.createElement("ul");
            data.results.forEach(function (row) {
              var item = document.createElement("li");
              item.textContent = row.submitted_on + " " + row.category + " · " + row.status_label;
              list.appendChild(item);
            });
            hint.appendChild(label);
            hint.appendChild(list);
            hint.hidden = false;
          })
          .catch(function () {});
      });
    }

    // Confirmation: copy the tracking code.
    var copy = document.querySelector("[data-st-copy]");
    var code = document.querySelector("[data-st-code]");
    if (copy && code && navigator.clipboard && window.isSecureContext) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(code.textContent.trim()).then(function () {
          copy.textContent = copy.getAttribute("data-copied");
        });
      });
    }
  });
})();
