// The monthly form: the total as it is typed (each group counts at most its maximum, as the
// server counts it) and, on a narrow screen, one group per screen with Previous / Next.
(function () {
  "use strict";
  var form = document.getElementById("month-form");
  if (!form) return;
  document.documentElement.classList.add("js");
  var steps = Array.prototype.slice.call(form.querySelectorAll(".group-step"));
  var totalOut = document.getElementById("month-total-value");
  var bandOut = document.getElementById("month-total-band");
  var bands = JSON.parse(document.getElementById("month-bands").textContent);

  function num(value) {
    var n = parseFloat(String(value || "").replace(",", "."));
    return isNaN(n) ? 0 : n;
  }
  function format(n) {
    return (Math.round(n * 100) / 100).toLocaleString(document.documentElement.lang || "vi");
  }
  function recount() {
    var total = 0, below = false;
    steps.forEach(function (step) {
      var sum = 0;
      step.querySelectorAll(".score").forEach(function (input) { sum += num(input.value); });
      var max = num(step.dataset.max);
      var capped = Math.min(sum, max);
      total += capped;
      var out = step.querySelector(".group-sum-value");
      if (out) out.textContent = format(capped);
      if (step.dataset.min && capped < num(step.dataset.min)) below = true;
    });
    totalOut.textContent = format(total);
    var label = "";
    for (var i = bands.length - 1; i >= 0; i--) {
      var b = bands[i];
      if (total >= b.min && !(b.needs && below)) { label = b.label; break; }
    }
    bandOut.textContent = label;
  }
  form.addEventListener("input", recount);
  form.addEventListener("change", recount);
  recount();

  // The total sticks to the top of the screen: whatever the browser scrolls into view (a
  // focused field, a group's legend) stops below it, and a focused field left under it is
  // brought out, so the bar never hides what is being typed.
  var bar = form.querySelector(".month-total");
  var root = document.documentElement;
  function barBottom() { return bar ? bar.getBoundingClientRect().bottom : 0; }
  function keepClear() {
    if (bar) root.style.scrollPaddingTop = (bar.offsetHeight + 8) + "px";
  }
  keepClear();
  window.addEventListener("resize", keepClear);
  form.addEventListener("focusin", function (event) {
    var target = event.target;
    if (!bar || target === bar || !target.getBoundingClientRect) return;
    var top = target.getBoundingClientRect().top;
    var label = target.id && form.querySelector("label[for='" + target.id + "']");
    if (label) top = Math.min(top, label.getBoundingClientRect().top);
    var covered = barBottom() + 8 - top;
    if (covered > 0) window.scrollBy(0, -covered);
  });

  var narrow = window.matchMedia("(max-width: 40rem)");
  var nav = document.getElementById("step-nav");
  var current = 0;
  function show(index) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach(function (step, i) { step.hidden = narrow.matches && i !== current; });
    if (!nav) return;
    nav.hidden = !narrow.matches;
    nav.querySelector("[data-step=prev]").disabled = current === 0;
    nav.querySelector("[data-step=next]").disabled = current === steps.length - 1;
    nav.querySelector(".step-count").textContent = (current + 1) + " / " + steps.length;
  }
  if (nav) {
    nav.addEventListener("click", function (event) {
      var which = event.target.getAttribute("data-step");
      if (!which) return;
      show(current + (which === "next" ? 1 : -1));
      steps[current].querySelector("legend").scrollIntoView({ block: "start" });
      var first = steps[current].querySelector(".score");
      if (first) first.focus({ preventScroll: true });
    });
  }
  // A field with an error opens its group.
  var invalid = form.querySelector(".has-error");
  if (invalid) {
    var owner = invalid.closest(".group-step");
    if (owner) current = steps.indexOf(owner);
  }
  show(current);
  if (narrow.addEventListener) narrow.addEventListener("change", function () { show(current); });
})();
