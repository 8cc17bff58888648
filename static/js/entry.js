// The entry row of a section page: keys, and saves that survive a network hiccup.
//   Enter saves (the form's submit), Alt+X saves the line as blank / crossed out,
//   Alt+Up fixes the line above (again: the one above that), Esc leaves a fix.
// A save the server did not confirm stays on screen, marked unsaved, and is sent again with the
// same client token until it is confirmed: the server stores it once however often it arrives.
(function () {
  "use strict";
  const RETRY_DELAYS = [1, 2, 4, 8, 15, 30];
  let attempt = 0;
  let retryTimer = null;
  let unsaved = false;

  function entryForm() { return document.getElementById("line-entry"); }
  // The field to type in: the first refused one, else the name. Not an autofocus attribute:
  // htmx focuses those when a swap settles, 20 ms later, which could pull a fast typist back.
  function focusFirst(form) {
    const target = form.querySelector(".is-invalid") || form.querySelector("[data-autofocus]") ||
      form.querySelector("input[type=text]:not([disabled])");
    if (target) target.focus();
  }
  function state(text, isUnsaved) {
    const box = document.getElementById("save-state");
    if (!box) return;
    box.textContent = text;
    box.classList.toggle("unsaved", Boolean(isUnsaved));
  }
  function isSave(detail) {
    return detail.elt && detail.elt.id === "line-entry" &&
      (detail.requestConfig ? detail.requestConfig.verb === "post" : true);
  }
  function submit(form, blank) {
    if (blank) form.dataset.blank = "on";
    form.requestSubmit();
  }
  function lastNumber() {
    const rows = document.querySelectorAll("#lines tbody tr[id^='line-']");
    return rows.length ? parseInt(rows[rows.length - 1].id.slice(5), 10) : 0;
  }
  function editLine(form, number) {
    if (!form.dataset.editUrl || number < 1 || !document.getElementById("line-" + number)) return;
    const url = form.dataset.editUrl.replace(/\/0\/$/, "/" + number + "/") + "?part=form";
    htmx.ajax("GET", url, { target: "#line-entry", swap: "outerHTML" });
  }
  function cancelEdit(form) {
    htmx.ajax("GET", form.dataset.formUrl, { target: "#line-entry", swap: "outerHTML" });
  }

  document.addEventListener("keydown", function (event) {
    const form = entryForm();
    if (!form || !form.contains(event.target)) return;
    if (event.altKey && (event.key === "x" || event.key === "X")) {
      event.preventDefault();
      submit(form, true);
    } else if (event.altKey && event.key === "ArrowUp") {
      event.preventDefault();
      const current = parseInt(form.dataset.editing || "0", 10);
      editLine(form, current ? current - 1 : lastNumber());
    } else if (event.key === "Escape" && form.dataset.editing) {
      event.preventDefault();
      cancelEdit(form);
    }
  });
  document.addEventListener("click", function (event) {
    const form = entryForm();
    if (!form) return;
    if (event.target.id === "mark-blank") form.dataset.blank = "on";
    if (event.target.id === "cancel-edit") cancelEdit(form);
  });

  document.body.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.id === "poller") {
      // Ask only about the rows shown waiting for a worker; nothing to ask, no request.
      const waiting = Array.from(document.querySelectorAll("#lines tr[data-status=pending]"),
        function (row) { return row.id.slice(5); });
      if (!waiting.length) { event.preventDefault(); return; }
      event.detail.parameters.pending = waiting.join(",");
      return;
    }
    const form = event.detail.elt;
    if (form.id === "line-entry" && event.detail.verb === "post" && form.dataset.blank) {
      event.detail.parameters.blank = "on";
    }
  });
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (!isSave(event.detail)) return;
    clearTimeout(retryTimer);
    retryTimer = null;
    unsaved = true;
    state(attempt ? interpolate(gettext("Saving again (attempt %s)…"), [attempt + 1]) : gettext("Saving…"), attempt > 0);
  });
  function retryLater(reason) {
    const form = entryForm();
    const delay = RETRY_DELAYS[Math.min(attempt, RETRY_DELAYS.length - 1)];
    attempt += 1;
    // The retry must send what was typed: the same token with other values would be answered
    // with the line first stored. The row is read-only until the server confirms.
    form.querySelectorAll("input").forEach(function (input) { input.readOnly = true; });
    state(interpolate(gettext("Not saved yet (%(reason)s): trying again in %(delay)s s. Keep this page open."),
                      { reason: reason, delay: delay }, true), true);
    retryTimer = setTimeout(function () { if (form.isConnected) form.requestSubmit(); }, delay * 1000);
  }
  function refused(status) {
    const form = entryForm();
    clearTimeout(retryTimer);
    retryTimer = null;
    attempt = 0;
    unsaved = false;
    if (form) form.querySelectorAll("input").forEach(function (input) { input.readOnly = false; });
    state(interpolate(gettext("The server refused this save (status %s): reload the page; your typing is still here."), [status]), true);
  }
  document.body.addEventListener("htmx:sendError", function (event) {
    if (isSave(event.detail)) retryLater(gettext("no connection"));
  });
  document.body.addEventListener("htmx:timeout", function (event) {
    if (isSave(event.detail)) retryLater(gettext("the server did not answer"));
  });
  document.body.addEventListener("htmx:responseError", function (event) {
    if (!isSave(event.detail)) return;
    const status = event.detail.xhr.status;
    if (status === 401) {
      retryLater(gettext("your session has ended: log in again in a new tab, then come back"));
    } else if (status >= 500 || status === 429) {
      retryLater(interpolate(gettext("server busy, status %s"), [status]));
    } else {
      // Any other 4xx is the server's final word: sending the same request again would get the
      // same answer, so stop retrying and give the row back (editable, the typing kept).
      refused(status);
    }
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id === "line-entry" || event.detail.elt.id === "line-entry") {
      attempt = 0;
      unsaved = false;
      const form = entryForm();
      if (!form) return;
      focusFirst(form);
      if (event.detail.xhr && event.detail.xhr.status === 200 && !form.dataset.editing) {
        state(gettext("Saved."), false);
      }
    }
  });
  // Back on this tab (after logging in again in another, say): a waiting save goes at once.
  window.addEventListener("focus", function () {
    const form = entryForm();
    if (retryTimer === null || !form) return;
    clearTimeout(retryTimer);
    retryTimer = null;
    form.requestSubmit();
  });
  if (entryForm()) focusFirst(entryForm());
  window.addEventListener("beforeunload", function (event) {
    if (unsaved) { event.preventDefault(); event.returnValue = ""; }
  });
})();
