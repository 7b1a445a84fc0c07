/* The draft form shows each matter's own fields only: seats, alternates and candidates for an
   election, options for a choice, neither for a question; an election is always category 3.
   Without JavaScript every field shows and the server checks what belongs to which kind. */
(function () {
  "use strict";
  function own(body, name) {
    return Array.prototype.filter.call(body.children, function (el) {
      return el.classList && el.classList.contains("item-" + name);
    });
  }
  function apply(select) {
    var body = select.closest(".seq-item");
    if (!body) { return; }
    var kind = select.value;
    own(body, "seats").concat(own(body, "alternates"), own(body, "candidates")).forEach(function (el) {
      el.hidden = kind !== "election";
    });
    own(body, "options").forEach(function (el) { el.hidden = kind !== "choice"; });
    var category = body.querySelector(":scope > .item-category select");
    if (category && kind === "election") { category.value = "3"; }
  }
  function all() {
    document.querySelectorAll('select[name="kind"]').forEach(apply);
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches('select[name="kind"]')) { apply(event.target); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    all();
    var form = document.querySelector(".formbox");
    if (form && window.MutationObserver) {
      new MutationObserver(all).observe(form, {childList: true, subtree: true});
    }
  });
}());
