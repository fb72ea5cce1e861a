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
