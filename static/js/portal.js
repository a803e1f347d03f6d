// Every page: a <select data-autosubmit> (the language chooser) submits its form when changed.
// Kept in a file because the Content-Security-Policy forbids inline scripts and handlers.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
});
