/* The draft form's lists (matters, candidates, options, attachments): text buttons to move an item
   up or down and to remove it, each item's legend numbered "表决事项 1, 2, ...", the "add" button
   shown (deform.js adds from the prototype).  Without JavaScript the buttons stay hidden and the
   page's "show one more empty matter" link adds a slot by reloading. */
(function () {
  "use strict";
  function items(seq) {
    var container = seq.querySelector(":scope > .deform-seq-container");
    return container ? Array.prototype.filter.call(container.children, function (el) {
      return el.classList.contains("seq-item");
    }) : [];
  }
  function refresh(seq) {
    var list = items(seq);
    list.forEach(function (item, index) {
      var number = item.querySelector(":scope > legend .seq-number");
      if (number && number.textContent !== String(index + 1)) { number.textContent = String(index + 1); }
      var controls = item.querySelector(":scope > .seq-controls");
      if (controls) { controls.hidden = false; }
      var up = item.querySelector(":scope > .seq-controls > .seq-up");
      var down = item.querySelector(":scope > .seq-controls > .seq-down");
      if (up) { up.disabled = index === 0; }
      if (down) { down.disabled = index === list.length - 1; }
    });
    var add = seq.querySelector(":scope > .seq-add-row > .deform-seq-add");
    if (add) { add.hidden = false; }
  }
  function all() {
    document.querySelectorAll(".deform-seq").forEach(refresh);
    document.querySelectorAll(".noscript-hint").forEach(function (el) { el.hidden = true; });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".seq-up, .seq-down");
    if (!button) { return; }
    var item = button.closest(".seq-item");
    var seq = item.closest(".deform-seq");
    var list = items(seq);
    var index = list.indexOf(item);
    if (button.classList.contains("seq-up") && index > 0) {
      item.parentNode.insertBefore(item, list[index - 1]);
    } else if (button.classList.contains("seq-down") && index < list.length - 1) {
      item.parentNode.insertBefore(list[index + 1], item);
    }
    refresh(seq);
    if (button.disabled) {       // moved to an end: keep the focus on the item's other move button
      var other = item.querySelector(button.classList.contains("seq-up") ? ".seq-down" : ".seq-up");
      if (other && !other.disabled) { other.focus(); }
    } else {
      button.focus();
    }
  });
  document.addEventListener("click", function (event) {
    var add = event.target.closest && event.target.closest(".deform-seq-add");
    if (!add) { return; }
    var seq = add.closest(".deform-seq");
    window.setTimeout(function () {         // after deform.js has inserted the new item
      refresh(seq);
      var list = items(seq);
      var last = list[list.length - 1];
      var field = last && last.querySelector("input:not([type=hidden]), select, textarea");
      if (field) { field.focus(); }
    }, 0);
  });
  document.addEventListener("click", function (event) {
    var remove = event.target.closest && event.target.closest(".deform-close-button");
    if (!remove) { return; }
    var seq = remove.closest(".deform-seq");
    window.setTimeout(function () {         // the item is gone: the focus goes to the list's "add"
      refresh(seq);
      var add = seq.querySelector(":scope > .seq-add-row > .deform-seq-add");
      if (add) { add.focus(); }
    }, 0);
  }, true);
  document.addEventListener("DOMContentLoaded", function () {
    all();
    var form = document.querySelector("form.deform");
    if (form && window.MutationObserver) {
      new MutationObserver(all).observe(form, {childList: true, subtree: true});
    }
  });
}());
