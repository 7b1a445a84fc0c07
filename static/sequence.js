/* The draft form's lists (matters, candidates, options, attachments) and the workflow editor's:
   text buttons to add an item (deform.js copies the prototype), to move it up or down and to
   remove it, each item's legend numbered "表决事项 1, 2, ...", and only the buttons the list's
   lengths allow.  No inline handlers: the page's CSP allows scripts from the site only.  Without JavaScript the buttons stay hidden and the
   page's "show one more empty matter" link adds a slot by reloading. */
(function () {
  "use strict";
  function items(seq) {
    var container = seq.querySelector(":scope > .deform-seq-container");
    return container ? Array.prototype.filter.call(container.children, function (el) {
      return el.classList.contains("seq-item");
    }) : [];
  }
  function limits(seq) {
    var marker = seq.querySelector(":scope > .deform-seq-container > .deform-insert-before");
    return marker ? {marker: marker, min: parseInt(marker.getAttribute("min_len") || "0", 10),
                     max: parseInt(marker.getAttribute("max_len") || "100000", 10)} : null;
  }
  function show(element, visible) {
    element.style.display = "";               // deform.js toggles an inline display: the hidden flag decides
    element.hidden = !visible;
  }
  function refresh(seq) {
    var list = items(seq);
    var bounds = limits(seq);
    if (bounds && bounds.marker.getAttribute("now_len") !== String(list.length)) {
      bounds.marker.setAttribute("now_len", String(list.length));     // deform.js counts from here
    }
    list.forEach(function (item, index) {
      var number = item.querySelector(":scope > legend .seq-number");
      if (number && number.textContent !== String(index + 1)) { number.textContent = String(index + 1); }
      var controls = item.querySelector(":scope > .seq-controls");
      var up = item.querySelector(":scope > .seq-controls > .seq-up");
      var down = item.querySelector(":scope > .seq-controls > .seq-down");
      var remove = item.querySelector(":scope > .seq-controls > .deform-close-button");
      var removable = !bounds || list.length > bounds.min;
      [up, down].forEach(function (b) { if (b) { show(b, list.length > 1); } });   // one item: nothing to move
      if (up) { up.disabled = index === 0; }
      if (down) { down.disabled = index === list.length - 1; }
      if (remove) { show(remove, removable); }
      if (controls) { controls.hidden = !(removable || list.length > 1); }
    });
    var add = seq.querySelector(":scope > .seq-add-row > .deform-seq-add");
    if (add) { show(add, !bounds || list.length < bounds.max); }
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
    event.preventDefault();
    var seq = add.closest(".deform-seq");
    deform.appendSequenceItem(add);          // a copy of the prototype, its ids made unique
    refresh(seq);
    var list = items(seq);
    var last = list[list.length - 1];
    var field = last && last.querySelector("input:not([type=hidden]), select, textarea");
    if (field) { field.focus(); }
  });
  document.addEventListener("click", function (event) {
    var remove = event.target.closest && event.target.closest(".deform-close-button");
    if (!remove) { return; }
    event.preventDefault();
    var seq = remove.closest(".deform-seq");
    deform.removeSequenceItem(remove);
    refresh(seq);
    var add = seq.querySelector(":scope > .seq-add-row > .deform-seq-add");
    if (add && !add.hidden) { add.focus(); }      // the item is gone: the focus goes to the list's "add"
  });
  document.addEventListener("DOMContentLoaded", function () {
    all();
    var form = document.querySelector("form.deform");
    if (form && window.MutationObserver) {
      new MutationObserver(all).observe(form, {childList: true, subtree: true});
    }
  });
}());
