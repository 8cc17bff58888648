// The line's scanned image on the review pages: the zoom button, or the key Z outside a text
// field, doubles its size in a frame that scrolls sideways (arrow keys once it has the focus);
// Z again or Escape brings it back to the column's width. keys.js leaves Z alone (no data-key).
(function () {
  "use strict";
  const frame = document.getElementById("line-scan-frame");
  const button = document.getElementById("line-scan-zoom");
  if (!frame || !button) return;

  function zoom(on) {
    frame.classList.toggle("zoomed", on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.classList.toggle("active", on);
    if (!on) frame.scrollLeft = 0;
  }

  button.addEventListener("click", function () {
    zoom(!frame.classList.contains("zoomed"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === "z" || event.key === "Z") {
      event.preventDefault();
      zoom(!frame.classList.contains("zoomed"));
    } else if (event.key === "Escape" && frame.classList.contains("zoomed")) {
      zoom(false);
    }
  });
})();
