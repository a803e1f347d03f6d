// Live ITA computation on the results form. The browser computes nothing: it sends the form's fields to the
// server's preview (assessments.views.score_preview: the same form validates them and assessments/scoring.py
// computes), and shows the tool scores, the ITA, the level, and the message of each field the server refuses.
(function () {
  "use strict";
  var form = document.getElementById("assessment-form");
  if (!form || !form.dataset.previewUrl) { return; }
  var timer = null, sent = 0;
  function show(name, text) {
    var out = form.querySelector('[data-out="' + name + '"]');
    if (out) { out.textContent = text === null || text === undefined ? "–" : text; }
  }
  function mark(errors) {
    form.querySelectorAll("[data-tool]").forEach(function (input) {
      var message = errors[input.name];
      var note = input.parentElement.querySelector(".live-error");
      if (message) {
        input.setAttribute("aria-invalid", "true");
        if (!note) { note = document.createElement("p"); note.className = "error live-error"; input.parentElement.appendChild(note); }
        note.textContent = message;
      } else {
        input.removeAttribute("aria-invalid");
        if (note) { note.remove(); }
      }
    });
    var summary = form.querySelector('[data-out="errors"]');
    if (summary) { summary.hidden = Object.keys(errors).length === 0; }
  }
  function preview() {
    var ticket = ++sent;
    fetch(form.dataset.previewUrl, {method: "POST", body: new FormData(form), credentials: "same-origin",
                                    headers: {"X-Requested-With": "fetch"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || ticket !== sent) { return; }  // a later answer is on its way
        Object.keys(data.tools).forEach(function (code) { show(code, data.tools[code]); });
        show("ita", data.ita);
        show("level", data.level);
        mark(data.errors);
      })
      .catch(function () { /* offline: the form still works, the preview waits for the next input */ });
  }
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(preview, 250); });
  preview();
})();
