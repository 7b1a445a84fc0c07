/* On the voting page: each election counts the candidates marked "for" as the owner goes
   ("已选同意 3 / 5"), and refuses a mark beyond the seats at once, with a message read out by
   screen readers; the server refuses it too.  Without JavaScript the server alone says so. */
(function () {
  "use strict";
  function agreed(box) {
    return box.querySelectorAll('input[type="radio"][value="agree"]:checked').length;
  }
  function update(box) {
    box.querySelector(".agreed").textContent = String(agreed(box));
  }
  document.addEventListener("change", function (event) {
    var radio = event.target;
    var box = radio.closest && radio.closest(".election[data-seats]");
    if (!box || radio.type !== "radio") { return; }
    var seats = parseInt(box.getAttribute("data-seats"), 10);
    var refused = box.querySelector(".agree-refused");
    if (radio.value === "agree" && agreed(box) > seats) {
      var group = box.querySelectorAll('input[type="radio"][name="' + radio.name + '"]');
      Array.prototype.forEach.call(group, function (other) {
        if (other.value === "abstain" && other.form === radio.form) { other.checked = true; }
      });
      refused.hidden = false;
      radio.focus();
    } else {
      refused.hidden = true;
    }
    update(box);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".election[data-seats]").forEach(update);
  });
}());
