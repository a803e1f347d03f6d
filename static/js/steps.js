// Steps of a measure: add, remove and reorder in the page. The server reads the order from the ORDER
// fields of Django's formset (can_order) and drops rows ticked DELETE, so the page works without JS too.
(function () {
  "use strict";
  var list = document.getElementById("steps");
  if (!list) return;
  var prefix = list.dataset.prefix;
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var template = document.getElementById("step-template");

  function renumber() {
    var rows = list.querySelectorAll(".step-row:not([hidden])");
    rows.forEach(function (row, index) {
      row.querySelector("input[name$='-ORDER']").value = index + 1;
    });
  }

  function add() {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, index);
    list.insertAdjacentHTML("beforeend", html);
    total.value = index + 1;
    renumber();
    var rows = list.querySelectorAll(".step-row");
    rows[rows.length - 1].querySelector("textarea").focus();
  }

  list.addEventListener("click", function (event) {
    var row = event.target.closest(".step-row");
    if (!row) return;
    if (event.target.matches("[data-step-up]") && row.previousElementSibling) {
      list.insertBefore(row, row.previousElementSibling);
    } else if (event.target.matches("[data-step-down]") && row.nextElementSibling) {
      list.insertBefore(row.nextElementSibling, row);
    } else {
      return;
    }
    renumber();
    event.target.focus();
  });
  list.addEventListener("change", function (event) {
    if (event.target.matches("input[name$='-DELETE']")) {
      var row = event.target.closest(".step-row");
      row.classList.toggle("removed", event.target.checked);
    }
  });
  document.querySelector("[data-step-add]").addEventListener("click", add);
  // Hide the ORDER numbers when the arrows do the job.
  list.classList.add("js");
  renumber();
})();
