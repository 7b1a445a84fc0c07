/* Receipt codes kept for the owner in this browser only (the server stores a hash, never the code):
   the receipt page saves the code under the ballot's path; /@my shows it again; every
   "copy" button copies the receipt code beside it. */
(function () {
  "use strict";
  var KEY = "portal-receipts";

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function save(all) {
    try { window.localStorage.setItem(KEY, JSON.stringify(all)); } catch (e) { /* private mode: nothing kept */ }
  }
  function copy(text, button) {
    var done = function () {
      var was = button.getAttribute("data-label") || button.textContent;
      button.setAttribute("data-label", was);
      button.textContent = button.getAttribute("data-copied") || "✓";
      window.setTimeout(function () { button.textContent = was; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { select(button); });
    } else {
      select(button);
      try { if (document.execCommand("copy")) { done(); } } catch (e) { /* the code stays selected */ }
    }
  }
  function select(button) {
    var code = codeOf(button);
    if (!code) { return; }
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  function codeOf(button) {
    var holder = button.closest("[data-receipt-holder]") || button.parentNode;
    return holder.querySelector(".receipt-code");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var all = load();
    document.querySelectorAll(".receipt-code[data-keep-ballot]").forEach(function (el) {
      all[el.getAttribute("data-keep-ballot")] = {code: el.textContent.trim(), when: el.getAttribute("data-when") || ""};
      save(all);
    });
    document.querySelectorAll(".receipt-kept[data-ballot]").forEach(function (el) {
      var kept = all[el.getAttribute("data-ballot")];
      if (kept && kept.code) {
        el.querySelector(".receipt-code").textContent = kept.code;
        el.hidden = false;
      }
    });
    document.querySelectorAll(".copy-receipt").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var code = codeOf(button);
        if (code) { copy(code.textContent.trim(), button); }
      });
    });
  });
}());
