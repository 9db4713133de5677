/* Opens and closes a node of the unit tree; HTMX loads its children the first time. */
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.tree-toggle");
  if (!button) return;
  var box = document.getElementById(button.getAttribute("aria-controls"));
  var open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", open ? "true" : "false");
  if (box) box.hidden = !open;
});
