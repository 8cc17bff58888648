// Every page: htmx requests carry the current CSRF token, and a request refused because the
// session has ended (401: idle too long, the 8 hours of a shift, or a log-out elsewhere) shows
// a banner asking to log in again in another tab. The page itself is left as it is; the entry
// row keeps its line and saves it once the new login is there (entry.js).
(function () {
  "use strict";
  function cookie(name) {
    const match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : null;
  }
  function banner() { return document.getElementById("session-ended"); }
  document.body.addEventListener("htmx:configRequest", function (event) {
    // A login (in any tab) rotates the token: read it at each request, not once per page.
    const token = cookie("csrftoken");
    if (!token) return;
    event.detail.headers["X-CSRFToken"] = token;
    // A form's own hidden token wins over the header in Django's check: bring it up to date.
    if (event.detail.parameters.csrfmiddlewaretoken != null) {
      event.detail.parameters.csrfmiddlewaretoken = token;
    }
  });
  document.body.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr.status === 401 && banner()) banner().hidden = false;
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful && banner()) banner().hidden = true;
  });
})();
