/* Forms: the error summary takes focus when a page (or an HTMX swap) shows one, and its links
   move focus to the field they name. */
(function () {
  "use strict";
  function focusSummary(root) {
    var box = (root || document).querySelector("[data-error-summary]");
    if (box) { box.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () { focusSummary(document); });
  document.addEventListener("htmx:afterSwap", function (event) { focusSummary(event.target); });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) { return; }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    var input = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
    event.preventDefault();
    (input || target).focus();
    target.scrollIntoView({ block: "center" });
  });
})();
