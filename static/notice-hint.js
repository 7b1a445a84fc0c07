/* The draft form's live notice-period hint.  The server put in the page, for every allowed notice
   period, the earliest first day of voting if the notice were published today (ballots.rules); this
   only picks the one for the notice period typed, shows it beside the first day of voting and says
   when the chosen day is earlier.  The rule itself is checked again on saving and submitting. */
(function () {
  "use strict";
  function update(hint, start, days) {
    var table = JSON.parse(hint.getAttribute("data-earliest"));
    var key = String(parseInt(days.value, 10));
    if (!table[key]) { key = hint.getAttribute("data-days"); }     // not an allowed period: the default
    var chosen = table[key];
    hint.querySelector(".earliest-day").textContent = chosen[1];
    hint.querySelector(".notice-days").textContent = key;
    var early = Boolean(start.value) && start.value < chosen[0];     // ISO dates compare as text
    hint.querySelector(".too-early").hidden = !early;
    hint.classList.toggle("warning", early);
    if (early) { start.setAttribute("aria-describedby", hint.id); } else { start.removeAttribute("aria-describedby"); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var hint = document.getElementById("notice-hint");
    var start = document.querySelector(".item-start_date input[type=date]");
    var days = document.querySelector("input[name=notice_days]");
    if (!hint || !start || !days) { return; }
    start.closest(".item-start_date").appendChild(hint);     // beside the first day of voting
    var refresh = function () { update(hint, start, days); };
    ["input", "change"].forEach(function (name) {
      start.addEventListener(name, refresh);
      days.addEventListener(name, refresh);
    });
    refresh();
  });
}());
