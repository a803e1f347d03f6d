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
