// Reloads a page that shows work still running (a background render): an element with data-refresh-seconds="N"
// reloads the page after N seconds. A static file, since the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  var element = document.querySelector("[data-refresh-seconds]");
  if (!element) return;
  var seconds = parseFloat(element.getAttribute("data-refresh-seconds"));
  if (!(seconds > 0)) return;
  window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
})();
