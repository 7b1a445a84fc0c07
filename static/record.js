/* The vote record page: find one's own line from the receipt code (the vote number is derived
   from it here, in the browser, as the portal derives it), and recompute every figure of the
   results from the record alone, to compare with the published ones. */
(function () {
  "use strict";
  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  function sha256(text) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(hex);
  }
  function voteId(code) {
    var normal = code.replace(/[\s-]/g, "").toUpperCase();
    return sha256("receipt:" + normal).then(function (digest) {
      return sha256("vote-id:" + digest.slice(0, 32));
    }).then(function (id) { return id.slice(0, 16); });
  }
  function cents(text) { var p = String(text).split("."); return parseInt(p[0], 10) * 100 + parseInt(p[1], 10); }
  function area(n) { return Math.floor(n / 100) + "." + ("0" + (n % 100)).slice(-2); }
  function add(fig, key, a) { fig[key] = fig[key] || [0, 0]; fig[key][0] += 1; fig[key][1] += a; }

  function recount(record) {
    var out = {};
    record.matters.forEach(function (m) {
      var fig = {taking: [0, 0]};
      record.votes.forEach(function (v) {
        var mark = v.marks[m.id], a = cents(v.area);
        if (mark === undefined || mark === null) { return; }
        if (m.kind === "choice" && mark !== "abstain" && !m.options.some(function (o) { return o.id === mark; })) { return; }
        fig.taking[0] += 1; fig.taking[1] += a;
        if (m.kind === "election") {
          if (mark === "void") { add(fig, "void", a); return; }
          m.candidates.forEach(function (c) { add(fig, c.id + ":" + (mark[c.id] || "abstain"), a); });
        } else {
          add(fig, mark, a);
        }
      });
      out[m.id] = fig;
    });
    return out;
  }

  function compare(record, published) {
    var counted = recount(record), differ = [];
    function check(label, mine, owners, areaText) {
      var got = mine || [0, 0];
      if (got[0] !== owners || area(got[1]) !== areaText) { differ.push(label); }
    }
    published.forEach(function (r) {
      var fig = counted[r.id] || {taking: [0, 0]};
      check(r.id + " participating", fig.taking, r.participating_owners, r.participating_area);
      if (r.kind === "election") {
        check(r.id + " void", fig.void, r.void_owners, r.void_area);
        r.candidates.forEach(function (c) {
          ["agree", "oppose", "abstain"].forEach(function (k) {
            check(r.id + " " + c.name + " " + k, fig[c.id + ":" + k], c[k + "_owners"], c[k + "_area"]);
          });
        });
      } else if (r.kind === "choice") {
        r.options.forEach(function (o) { check(r.id + " " + o.title, fig[o.id], o.owners, o.area); });
        check(r.id + " abstain", fig.abstain, r.abstain_owners, r.abstain_area);
      } else {
        ["agree", "oppose", "abstain"].forEach(function (k) {
          check(r.id + " " + k, fig[k], r[k + "_owners"], r[k + "_area"]);
        });
      }
    });
    return differ;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var record = JSON.parse(document.getElementById("record-data").textContent);
    var published = JSON.parse(document.getElementById("published-data").textContent);
    var say = function (id) { return document.getElementById(id).textContent; };
    document.getElementById("find-line").addEventListener("submit", function (event) {
      event.preventDefault();
      voteId(document.getElementById("receipt-code").value).then(function (id) {
        document.querySelectorAll("tr.mine").forEach(function (row) { row.classList.remove("mine"); });
        var row = document.querySelector('tr[data-vote-id="' + id + '"]');
        var result = document.getElementById("find-result");
        if (row) { row.classList.add("mine"); row.scrollIntoView({block: "center"}); result.textContent = say("msg-found"); }
        else { result.textContent = say("msg-none"); }
      });
    });
    document.getElementById("recompute").addEventListener("click", function () {
      var differ = compare(record, published);
      document.getElementById("recompute-result").textContent =
        differ.length ? say("msg-differ") + " " + differ.join("；") : say("msg-same");
    });
  });
}());
