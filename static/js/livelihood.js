/* Livelihood pages: the ballot counter, the hall screen refresh, small
 * conveniences. Plain ES5 so it runs in older in-app browsers (WeChat).
 * Everything works without it; the server enforces every rule. */
(function () {
  "use strict";

  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }

  // The ballot: "已选 n / k", and at k the unchecked boxes are disabled.
  function setupBallot(form) {
    var max = parseInt(form.getAttribute("data-lv-max"), 10) || 0;
    var boxes = form.querySelectorAll("input[type='checkbox'][name='approve']");
    var counter = form.querySelector("[data-lv-counter]");
    var count = form.querySelector("[data-lv-count]");
    var full = form.querySelector("[data-lv-full]");
    if (counter) {
      counter.hidden = false;
    }

    function update() {
      var checked = 0;
      each(boxes, function (box) {
        if (box.checked) {
          checked += 1;
        }
      });
      var atMax = checked >= max;
      each(boxes, function (box) {
        box.disabled = atMax && !box.checked;
        var option = box.closest ? box.closest(".lv-option") : box.parentNode;
        if (option) {
          option.classList.toggle("is-checked", box.checked);
          option.classList.toggle("is-disabled", box.disabled);
        }
      });
      if (count) {
        count.textContent = String(checked);
      }
      if (counter) {
        counter.classList.toggle("is-full", atMax);
      }
      if (full) {
        full.hidden = !atMax || max === 0;
      }
    }

    each(boxes, function (box) {
      box.addEventListener("change", update);
    });
    update();
  }

  // The hall screen: fetch the page again every few seconds and swap the
  // content, until the round is closed (the new content has no refresh mark).
  function setupHall(screen) {
    var seconds = parseInt(screen.getAttribute("data-lv-refresh"), 10) || 5;
    function schedule() {
      window.setTimeout(refresh, seconds * 1000);
    }

    function refresh() {
      var request = new XMLHttpRequest();
      request.open("GET", window.location.href, true);
      request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      request.onreadystatechange = function () {
        if (request.readyState !== 4) {
          return;
        }
        if (request.status !== 200 || !window.DOMParser) {
          schedule();
          return;
        }
        var doc = new window.DOMParser().parseFromString(request.responseText, "text/html");
        var fresh = doc.querySelector("[data-lv-screen]");
        if (!fresh) {
          schedule();
          return;
        }
        screen.innerHTML = fresh.innerHTML;
        if (fresh.hasAttribute("data-lv-refresh")) {
          schedule();
        } else {
          screen.removeAttribute("data-lv-refresh");
        }
      };
      request.send();
    }

    schedule();
  }

  document.addEventListener("DOMContentLoaded", function () {
    each(document.querySelectorAll("[data-lv-ballot]"), setupBallot);

    var screen = document.querySelector("[data-lv-screen][data-lv-refresh]");
    if (screen) {
      setupHall(screen);
    }

    // Public list: choosing a county or year shows it (the form has a button too).
    each(document.querySelectorAll("[data-lv-autosubmit]"), function (select) {
      select.addEventListener("change", function () {
        if (select.form) {
          select.form.submit();
        }
      });
    });

    // Confirmation: copy the tracking code.
    var copy = document.querySelector("[data-lv-copy]");
    var code = document.querySelector("[data-lv-code]");
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
