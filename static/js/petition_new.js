// New petition: the short name in links follows the title as it is typed, until the organizer
// edits it. While it follows, the hidden slug_from_title flag asks the server to make it from
// the title itself, unique (-2, -3... when another petition has it).
(function () {
  "use strict";
  const title = document.getElementById("id_title");
  const slug = document.getElementById("id_slug");
  const fromTitle = document.getElementById("id_slug_from_title");
  if (!title || !slug || !fromTitle) return;

  // As Django's slugify: accents dropped, lower case, runs of anything else one hyphen.
  function slugify(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9\s-]/g, "").trim().replace(/[-\s]+/g, "-").slice(0, 80)
      .replace(/^-+|-+$/g, "");
  }

  // Follow the title on a new form, or on a returned one whose short name still matches it.
  let following = slug.value === "" || slug.value === slugify(title.value);
  function update() {
    fromTitle.value = following ? "True" : "";
    if (following) slug.value = slugify(title.value);
  }
  title.addEventListener("input", update);
  slug.addEventListener("input", function () {
    // Cleared by hand: follow the title again; typed: the organizer's own from now on.
    following = slug.value === "";
    fromTitle.value = following ? "True" : "";
  });
  update();
})();
