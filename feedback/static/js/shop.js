// The shopper's and reviewer's forms: the error summary takes focus, and the visit report saves itself.
(function () {
  "use strict";

  // After a refused submit, read the summary first; its links move focus to the field they name.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) { return; }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      event.preventDefault();
      var control = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
      target.scrollIntoView({block: "center"});
      (control || target).focus({preventScroll: true});
    });
  }

  // A draft is saved a few seconds after the shopper stops typing, and when they leave the page.
  var form = document.querySelector("form[data-autosave]");
  var status = document.getElementById("autosave-status");
  if (!form || !window.fetch || !window.FormData) { return; }
  var timer = null, dirty = false, saving = false;

  function save(keepalive) {
    if (!dirty || saving) { return; }
    dirty = false;
    saving = true;
    fetch(form.getAttribute("data-autosave"), {
      method: "POST", body: new FormData(form), credentials: "same-origin", keepalive: !!keepalive,
      headers: {"Accept": "application/json"}
    }).then(function (reply) {
      return reply.json().catch(function () { return {saved: false}; });
    }).then(function (answer) {
      if (status && answer.message) { status.textContent = answer.message; }
      if (!answer.saved) { dirty = true; }
    }).catch(function () {
      dirty = true;  // offline: try again at the next change
    }).then(function () { saving = false; });
  }

  function changed() {
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 2500);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { window.clearTimeout(timer); dirty = false; });
  window.addEventListener("pagehide", function () { save(true); });
}());
