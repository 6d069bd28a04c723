// Progressive enhancement only: the form works without this file.
// Shows and hides questions whose show_if refers to answers on the same page, evaluating the
// same parsed tree the server uses (proconnect/definitions/conditions.py).
(function () {
  "use strict";
  function answers(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name.charAt(0) === "_" || el.disabled) return;
      var name = el.name.replace("__", ".");
      if (el.type === "checkbox" && el.closest("[data-value=multi]")) {
        values[name] = values[name] || null;
        if (el.checked) { values[name] = (values[name] || []).concat([el.value]); }
      } else if (el.type === "radio" || el.type === "checkbox") {
        if (!(name in values)) values[name] = null;
        if (el.checked) {
          var n = Number(el.value);
          values[name] = el.type === "checkbox" ? "yes" : (el.value !== "" && !isNaN(n) && el.closest("[data-value=number]") ? n : el.value);
        }
      } else {
        var v = el.value.trim();
        var num = Number(v.replace(",", "."));
        values[name] = v === "" ? null : (el.inputMode === "decimal" && !isNaN(num) ? num : v);
      }
    });
    return values;
  }
  function truthy(v) { return !(v === null || v === undefined || v === "" || v === false || v === "no" || v === 0 || (Array.isArray(v) && v.length === 0)); }
  function evaluate(t, a) {
    switch (t[0]) {
      case "lit": return t[1];
      case "field": return a.hasOwnProperty(t[1]) ? a[t[1]] : null;
      case "not": return !truthy(evaluate(t[1], a));
      case "and": return truthy(evaluate(t[1], a)) && truthy(evaluate(t[2], a));
      case "or": return truthy(evaluate(t[1], a)) || truthy(evaluate(t[2], a));
    }
    var l = evaluate(t[1], a), r = evaluate(t[2], a);
    if (l === null || r === null || l === undefined || r === undefined) return false;
    if (t[0] === "in") return (Array.isArray(r) || typeof r === "string") ? r.indexOf(l) !== -1 : false;
    if (typeof l !== typeof r) return t[0] === "!=";
    switch (t[0]) {
      case "==": return l === r; case "!=": return l !== r;
      case "<": return l < r; case "<=": return l <= r;
      case ">": return l > r; case ">=": return l >= r;
    }
    return false;
  }
  function update(form) {
    var a = answers(form);
    form.querySelectorAll("[data-show-if]").forEach(function (el) {
      el.hidden = !truthy(evaluate(JSON.parse(el.getAttribute("data-show-if")), a));
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.response-form");
    if (!form || !form.querySelector("[data-show-if]")) return;
    form.addEventListener("input", function () { update(form); });
    form.addEventListener("change", function () { update(form); });
    update(form);
  });
})();
