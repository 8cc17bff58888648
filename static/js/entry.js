// The entry row of a section page: keys, and saves that survive a network hiccup.
//   Enter saves (the form's submit), Alt+X saves the line as blank / crossed out,
//   Alt+Up fixes the line above (again: the one above that), Esc leaves a fix.
//   On a phone the buttons "Blank / crossed out" and "Fix the line above" do the same.
//   A scanned section: the image of the line the row is about to save (or is fixing) shows
//   above the row, the next ones loaded ahead; Alt+Z (or the Zoom button) zooms it.
// A save the server did not confirm stays on screen, marked unsaved, and is sent again with the
// same client token until it is confirmed: the server stores it once however often it arrives.
(function () {
  "use strict";
  const RETRY_DELAYS = [1, 2, 4, 8, 15, 30];
  let attempt = 0;
  let retryTimer = null;
  let unsaved = false;

  function entryForm() { return document.getElementById("line-entry"); }
  // The field to type in: the first refused one, else the line number to confirm (a gap),
  // else the name. Not an autofocus attribute: htmx focuses those when a swap settles, 20 ms
  // later, which could pull a fast typist back. Refused by aria-invalid, not by the class
  // is-invalid: until the swap settles, htmx keeps the classes of the row it replaced.
  function focusFirst(form) {
    const attention = form.querySelector("[data-attention]");
    const target = form.querySelector("[aria-invalid=true]") || attention ||
      form.querySelector("[data-autofocus]") || form.querySelector("input[type=text]:not([disabled])");
    if (!target) return;
    target.focus();
    if (target === attention) target.select(); // typing replaces the number; Enter keeps it
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
  function rowNumbers() {
    return Array.from(document.querySelectorAll("#lines tbody tr[id^='line-']"),
      function (row) { return parseInt(row.id.slice(5), 10); });
  }
  // The saved line above the one being fixed (skipping a gap in the numbers), or the last one
  // when keying a new line; 0 when there is none.
  function lineAbove(form) {
    const current = parseInt(form.dataset.editing || "0", 10);
    return rowNumbers().reduce(function (best, n) {
      return (!current || n < current) && n > best ? n : best;
    }, 0);
  }
  function editLine(form, number) {
    if (!form.dataset.editUrl || number < 1 || !document.getElementById("line-" + number)) return;
    const url = form.dataset.editUrl.replace(/\/0\/$/, "/" + number + "/") + "?part=form";
    htmx.ajax("GET", url, { target: "#line-entry", swap: "outerHTML" });
  }
  // The row of the line being fixed stands out; a line keyed into a gap (11 after 15) moves
  // to its place among the rows.
  function showRows() {
    const form = entryForm();
    const body = document.getElementById("lines-body");
    if (body) {
      const rows = Array.from(body.querySelectorAll("tr[id^='line-']"));
      const number = function (row) { return parseInt(row.id.slice(5), 10); };
      const sorted = rows.slice().sort(function (a, b) { return number(a) - number(b); });
      if (sorted.some(function (row, i) { return row !== rows[i]; })) {
        sorted.forEach(function (row) { body.appendChild(row); });
      }
    }
    document.querySelectorAll("#lines tr.editing").forEach(function (row) {
      row.classList.remove("editing");
      row.removeAttribute("aria-current");
    });
    if (!form) return;
    const fixing = form.dataset.editing && document.getElementById("line-" + form.dataset.editing);
    if (fixing) {
      fixing.classList.add("editing");
      fixing.setAttribute("aria-current", "true");
    }
    const above = document.getElementById("fix-above");
    if (above) above.disabled = !lineAbove(form);
  }
  function cancelEdit(form) {
    htmx.ajax("GET", form.dataset.formUrl, { target: "#line-entry", swap: "outerHTML" });
  }


  // Entry from a scan. The page carries the section's line images (number, page, URL, alt) as
  // JSON; the row's line is the one being fixed, else the number typed in "Line", else the next
  // one (data-next-number, from the server). The image never takes the focus.
  const PRELOAD_AHEAD = 3;
  const lineImages = {};
  const preloaded = {};
  (function () {
    const data = document.getElementById("line-images");
    if (!data) return;
    JSON.parse(data.textContent).forEach(function (image) { lineImages[image.number] = image; });
  })();
  function rowLine(form) {
    if (form.dataset.editing) return parseInt(form.dataset.editing, 10);
    const typed = form.querySelector("#id_number:not([disabled])");
    if (typed && /^\d{1,4}$/.test(typed.value.trim())) return parseInt(typed.value.trim(), 10);
    return parseInt(form.dataset.nextNumber || "1", 10);
  }
  function preload(number) {
    const image = lineImages[number];
    if (!image || preloaded[number]) return;
    preloaded[number] = new Image();
    preloaded[number].src = image.url;
  }
  function showImage() {
    const figure = document.getElementById("line-image");
    const form = entryForm();
    if (!figure || !form) return;
    const number = rowLine(form);
    const image = lineImages[number];
    const img = document.getElementById("line-image-img");
    const missing = document.getElementById("line-image-missing");
    const caption = document.getElementById("line-image-caption");
    figure.dataset.number = String(number);
    // Nothing to show or zoom without an image: the box and the button step aside.
    document.getElementById("line-image-box").hidden = !image;
    document.getElementById("line-image-zoom").hidden = !image;
    if (image) {
      if (img.dataset.number !== String(number)) {
        img.src = image.url;
        img.alt = image.alt;
        img.dataset.number = String(number);
      }
      caption.textContent = image.alt;
      img.hidden = false;
      missing.hidden = true;
    } else {
      img.hidden = true;
      caption.textContent = "";
      missing.textContent = figure.dataset.missing.replace("{number}", String(number));
      missing.hidden = false;
    }
    for (let ahead = 0; ahead <= PRELOAD_AHEAD; ahead += 1) preload(number + ahead);
  }
  // The field typed in last: the zoom button gives the focus back to it.
  let lastField = null;
  document.addEventListener("focusin", function (event) {
    const form = entryForm();
    if (form && form.contains(event.target) && event.target.matches("input")) lastField = event.target;
  });
  function toggleZoom() {
    const figure = document.getElementById("line-image");
    const button = document.getElementById("line-image-zoom");
    if (!figure || !button) return;
    const zoomed = figure.classList.toggle("zoomed");
    button.setAttribute("aria-pressed", zoomed ? "true" : "false");
  }
  document.addEventListener("input", function (event) {
    if (event.target.id === "id_number") showImage();
  });
  document.addEventListener("keydown", function (event) {
    if (event.altKey && (event.code === "KeyZ" || event.key === "z" || event.key === "Z") &&
        document.getElementById("line-image")) {
      event.preventDefault();
      toggleZoom();
    }
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest("#line-image-zoom")) return;
    toggleZoom();
    const form = entryForm();
    const field = lastField && lastField.isConnected ? lastField : null;
    if (field) field.focus();
    else if (form) focusFirst(form);
  });

  document.addEventListener("keydown", function (event) {
    const form = entryForm();
    if (!form || !form.contains(event.target)) return;
    if (event.altKey && (event.key === "x" || event.key === "X")) {
      event.preventDefault();
      submit(form, true);
    } else if (event.altKey && event.key === "ArrowUp") {
      event.preventDefault();
      editLine(form, lineAbove(form));
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
    if (event.target.id === "fix-above") editLine(form, lineAbove(form));
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
      showRows();
      showImage();
      if (!form) return;
      focusFirst(form);
      if (event.detail.xhr && event.detail.xhr.status === 200 && !form.dataset.editing) {
        state(gettext("Saved."), false);
      }
    }
  });
  // A row swapped in out of band: a save's (appended, or replacing a fixed line) or the poller's.
  document.body.addEventListener("htmx:oobAfterSwap", showRows);
  // Back on this tab (after logging in again in another, say): a waiting save goes at once.
  window.addEventListener("focus", function () {
    const form = entryForm();
    if (retryTimer === null || !form) return;
    clearTimeout(retryTimer);
    retryTimer = null;
    form.requestSubmit();
  });
  showRows();
  showImage();
  if (entryForm()) focusFirst(entryForm());
  window.addEventListener("beforeunload", function (event) {
    if (unsaved) { event.preventDefault(); event.returnValue = ""; }
  });
})();
