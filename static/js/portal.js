// Every page: a <select data-autosubmit> (the language chooser) submits its form when changed.
// Kept in a file because the Content-Security-Policy forbids inline scripts and handlers.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
});

// A submit button with data-confirm (approving, for one) asks before its form is sent.
document.addEventListener("submit", (event) => {
  const message = event.submitter && event.submitter.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// A form sent back with errors: bring the first field in error into view and put the cursor in it, so that the
// message next to the row it concerns is what the user sees first (issue 13).
document.addEventListener("DOMContentLoaded", () => {
  const field = document.querySelector("main .field.has-error, main [aria-invalid='true'], main .errorlist");
  if (!field) {
    return;
  }
  field.scrollIntoView({block: "center"});
  const input = field.matches("input, select, textarea") ? field : field.querySelector("input, select, textarea");
  if (input) {
    input.focus({preventScroll: true});
  }
});

// A text area with data-limit (core.forms.limit_long_texts) shows a live counter once the text nears its limit, and
// says by how much it is over. The limit, the threshold and the words come from the server; the server alone
// refuses a text that is too long (there is no maxlength: the browser would cut the text silently).
function updateCounter(area) {
  const limit = Number(area.dataset.limit);
  const count = [...area.value].length;  // characters (code points), as Python's len()
  let counter = area.nextElementSibling;
  if (!(counter && counter.classList.contains("counter"))) {
    counter = document.createElement("p");
    counter.className = "help counter";
    counter.setAttribute("aria-live", "polite");
    area.after(counter);
  }
  const over = count - limit;
  counter.hidden = count < Number(area.dataset.counterFrom);
  counter.classList.toggle("over", over > 0);
  counter.textContent = over > 0
    ? area.dataset.over.replace("{over}", over.toLocaleString("en-US"))
    : area.dataset.counter.replace("{count}", count.toLocaleString("en-US"));
}

document.addEventListener("input", (event) => {
  if (event.target instanceof HTMLTextAreaElement && event.target.dataset.limit) {
    updateCounter(event.target);
  }
});

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("textarea[data-limit]").forEach((area) => {
    if ([...area.value].length >= Number(area.dataset.counterFrom)) {
      updateCounter(area);
    }
  });
});

// The menu is a <details> shown open on wide screens by CSS (::details-content); a browser without it shows the
// menu's button there too: open the menu for it.
document.addEventListener("DOMContentLoaded", () => {
  const menu = document.getElementById("menu");
  if (menu && !CSS.supports("selector(::details-content)") && window.matchMedia("(min-width: 641px)").matches) {
    menu.open = true;
  }
});
