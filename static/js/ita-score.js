// Live ITA computation on the results form: the same rule as assessments/scoring.py, with the year's
// weights and levels from the page (#ita-rules). Tool scores are rounded to 0.01 before weighting.
(function () {
  "use strict";
  var form = document.getElementById("assessment-form");
  var rulesNode = document.getElementById("ita-rules");
  if (!form || !rulesNode) { return; }
  var rules = JSON.parse(rulesNode.textContent);
  var THAI = "๐๑๒๓๔๕๖๗๘๙";
  function toNumber(text) {
    var arabic = String(text).replace(/[๐-๙]/g, function (d) { return String(THAI.indexOf(d)); }).replace(/,/g, "").trim();
    if (arabic === "" || isNaN(Number(arabic))) { return null; }
    return Number(arabic);
  }
  function round2(x) { return Math.round((x + Number.EPSILON) * 100) / 100; }
  function mean(xs) { return xs.reduce(function (a, b) { return a + b; }, 0) / xs.length; }
  function compute() {
    var byTool = {}, parts = [];
    form.querySelectorAll("[data-tool]").forEach(function (input) {
      var value = toNumber(input.value);
      if (value === null) { return; }
      if (input.dataset.part) { parts.push(value); } else { (byTool[input.dataset.tool] = byTool[input.dataset.tool] || []).push(value); }
    });
    var scores = {}, missing = false, weighted = 0;
    rules.tools.forEach(function (tool) {
      var values = tool.code === "EIT" && parts.length ? parts : byTool[tool.code];
      if (!values || !values.length) { missing = true; return; }
      scores[tool.code] = round2(mean(values));
      weighted += Number(tool.weight) * scores[tool.code];
    });
    rules.tools.forEach(function (tool) {
      var out = form.querySelector('[data-out="' + tool.code + '"]');
      out.textContent = scores[tool.code] === undefined ? "–" : scores[tool.code].toFixed(2);
    });
    var ita = missing ? null : round2(weighted);
    form.querySelector('[data-out="ita"]').textContent = ita === null ? "–" : ita.toFixed(2);
    var lowest = Math.min.apply(null, Object.values(scores).concat(parts));
    var level = "–";
    if (ita !== null) {
      for (var i = 0; i < rules.levels.length; i++) {
        var rule = rules.levels[i];
        if (ita >= Number(rule.min) && (rule.minTool === null || lowest >= Number(rule.minTool))) { level = rule.label; break; }
      }
    }
    form.querySelector('[data-out="level"]').textContent = level;
  }
  form.addEventListener("input", compute);
  compute();
})();
