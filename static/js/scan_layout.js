// Marking a page's line boxes (scans: the petition's layout, or one page by hand). Drag on the
// page to draw the first or the last line's box; the four numbers of each box (percent of the
// page) are the form's fields, so typing them works as well, and the preview of every line's box
// is redrawn from them. Pointer events: mouse, pen and touch alike.
(function () {
  "use strict";
  const root = document.querySelector("[data-scan-marker]");
  if (!root) return;
  const stage = root.querySelector(".scan-stage");
  const layer = root.querySelector(".scan-boxes");
  const status = document.getElementById("marker-status");
  const linesInput = root.dataset.linesInput ? document.getElementById(root.dataset.linesInput) : null;
  const fixedLines = parseInt(root.dataset.lines, 10);
  const PARTS = ["left", "top", "width", "height"];
  const MAX_LINES = 50;
  // A drag shorter than this (fraction of the page) is a click, not a box.
  const MIN_SIZE = 0.005;
  const t = typeof gettext === "function" ? gettext : function (s) { return s; };
  const fmt = typeof interpolate === "function" ? interpolate : function (s, o) {
    return s.replace(/%\((\w+)\)s/g, function (_, k) { return o[k]; });
  };

  function field(box, part) { return document.getElementById("id_" + box + "_" + part); }

  function readBox(box) {
    const v = PARTS.map(function (part) { return parseFloat(field(box, part).value); });
    if (v.some(isNaN) || v[2] <= 0 || v[3] <= 0) return null;
    return {x: v[0] / 100, y: v[1] / 100, w: v[2] / 100, h: v[3] / 100};
  }

  function writeBox(box, b) {
    const values = [b.x, b.y, b.w, b.h];
    PARTS.forEach(function (part, i) { field(box, part).value = (values[i] * 100).toFixed(1); });
  }

  function lineCount() {
    if (!linesInput) return fixedLines >= 1 ? fixedLines : 1;
    const n = parseInt(linesInput.value, 10);
    return n >= 1 && n <= MAX_LINES ? n : null;
  }

  // As scans.layout.line_boxes: every line's box, evenly spaced between the first and the last.
  function lineBoxes(first, last, n) {
    if (n === 1) return [first];
    const boxes = [];
    for (let i = 0; i < n; i++) {
      const f = i / (n - 1);
      boxes.push({x: first.x + (last.x - first.x) * f, y: first.y + (last.y - first.y) * f,
                  w: first.w + (last.w - first.w) * f, h: first.h + (last.h - first.h) * f});
    }
    return boxes;
  }

  function place(el, b) {
    el.style.left = (b.x * 100) + "%";
    el.style.top = (b.y * 100) + "%";
    el.style.width = (b.w * 100) + "%";
    el.style.height = (b.h * 100) + "%";
  }

  function active() {
    const checked = root.querySelector("input[name=mark-box]:checked");
    return checked ? checked.value : "first";
  }

  function draw() {
    layer.replaceChildren();
    const first = readBox("first");
    const last = readBox("last");
    const n = lineCount();
    let boxes;
    if (first && last && n) {
      boxes = lineBoxes(first, last, n);
    } else {
      boxes = [first, last].filter(Boolean);
    }
    boxes.forEach(function (b, i) {
      const el = document.createElement("div");
      const isFirst = i === 0 && first;
      const isLast = i === boxes.length - 1 && last && boxes.length > 1;
      el.className = "scan-box" + (isFirst ? " scan-box-first" : "") + (isLast ? " scan-box-last" : "")
        + ((isFirst && active() === "first") || (isLast && active() === "last") ? " scan-box-active" : "");
      el.dataset.line = String(i + 1);
      place(el, b);
      const label = document.createElement("span");
      label.className = "scan-box-number";
      label.textContent = String(i + 1);
      el.appendChild(label);
      layer.appendChild(el);
    });
    layer.dataset.boxes = String(boxes.length);
  }

  function say(text) { if (status) status.textContent = text; }

  function clamp(v) { return Math.min(1, Math.max(0, v)); }

  function point(event) {
    const r = stage.getBoundingClientRect();
    return {x: clamp((event.clientX - r.left) / r.width), y: clamp((event.clientY - r.top) / r.height)};
  }

  let drag = null;
  stage.addEventListener("pointerdown", function (event) {
    if (event.pointerType === "mouse" && event.button !== 0) return;
    const box = active();
    drag = {box: box, start: point(event), before: readBox(box), id: event.pointerId};
    stage.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  stage.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.id) return;
    const p = point(event);
    const b = {x: Math.min(p.x, drag.start.x), y: Math.min(p.y, drag.start.y),
               w: Math.abs(p.x - drag.start.x), h: Math.abs(p.y - drag.start.y)};
    if (b.w < MIN_SIZE || b.h < MIN_SIZE) return;
    drag.moved = true;
    writeBox(drag.box, b);
    draw();
  });
  function finish(event) {
    if (!drag || event.pointerId !== drag.id) return;
    const done = drag;
    drag = null;
    if (stage.hasPointerCapture(event.pointerId)) stage.releasePointerCapture(event.pointerId);
    if (!done.moved) return;
    const b = readBox(done.box);
    const numbers = {left: (b.x * 100).toFixed(1), top: (b.y * 100).toFixed(1),
                     width: (b.w * 100).toFixed(1), height: (b.h * 100).toFixed(1)};
    if (done.box === "first") {
      say(fmt(t("First line's box marked (left %(left)s%, top %(top)s%, width %(width)s%, height %(height)s%). Now drag over the last line."), numbers, true));
      document.getElementById("mark-last").checked = true;
    } else {
      say(fmt(t("Last line's box marked (left %(left)s%, top %(top)s%, width %(width)s%, height %(height)s%). Check that every box sits on its line, then save."), numbers, true));
    }
    draw();
  }
  stage.addEventListener("pointerup", finish);
  stage.addEventListener("pointercancel", function (event) {
    if (drag && drag.before) writeBox(drag.box, drag.before);
    finish(event);
  });

  PARTS.forEach(function (part) {
    ["first", "last"].forEach(function (box) { field(box, part).addEventListener("input", draw); });
  });
  if (linesInput) linesInput.addEventListener("input", draw);
  root.querySelectorAll("input[name=mark-box]").forEach(function (radio) {
    radio.addEventListener("change", draw);
  });
  draw();
})();
