// "Print" buttons (room lists, code letters): no inline handler, so the pages keep a strict CSP.
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest(".js-print")) { window.print(); }
});
