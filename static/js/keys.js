// Single-key shortcuts: a key pressed outside a text field clicks the element whose data-key
// names it (the review page: 1-5 pick a candidate, N/O/I set a status, S skips, U undoes).
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
    const target = event.target;
    if (target.closest("input, textarea, select, [contenteditable]")) return;
    const button = document.querySelector('[data-key="' + CSS.escape(event.key.toLowerCase()) + '"]');
    if (button && !button.disabled) {
      event.preventDefault();
      button.disabled = true; // one press, one decision
      button.form ? button.form.requestSubmit(button) : button.click();
    }
  });
})();
