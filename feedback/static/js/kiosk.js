/* Kiosk mode: turns the kiosk's plain survey form into a terminal that runs for weeks.
 *
 * - Answers go through the device's queue (kiosk-queue.js): saved on the
 *   device first, sent, and kept until the server has stored them; a kiosk
 *   the server no longer knows shows its "not registered" screen at once.
 * - After a submit: a thank-you screen, then a clean start screen.
 * - After an idle time with partial answers: "Are you still there?", then the
 *   answers are cleared for the next guest. Any touch or key press counts as
 *   activity, so a guest who is still answering is never cut off. A kiosk
 *   left idle in another language or scrolled down is reset too, answers or not.
 */
(function () {
  "use strict";

  var form = document.getElementById("kiosk-form");
  if (!form || !window.fetch || !window.localStorage) {
    return; // the plain form still works
  }
  var cfg = form.dataset;
  var startScreen = document.getElementById("kiosk-start");
  var thanksScreen = document.getElementById("kiosk-thanks");
  var unregisteredScreen = document.getElementById("kiosk-unregistered");
  var idleDialog = document.getElementById("kiosk-idle");
  var idleMs = Number(cfg.idleSeconds) * 1000;
  var warningMs = Number(cfg.warningSeconds) * 1000;
  var thanksMs = Number(cfg.thanksSeconds) * 1000;
  var lastActivity = Date.now();
  var warningShownAt = null;
  var thanksTimer = null;

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // ---- the queue (kiosk-queue.js): nothing the server did not store leaves the device ----
  var queue = new window.FeedbackKioskQueue({
    path: form.getAttribute("action"), tokenUrl: cfg.tokenUrl, adopt: true,
    csrfInput: function () { return form.querySelector("input[name=csrf_token]"); },
    status: document.getElementById("kiosk-queue"),
    texts: { offline: cfg.offline, waitingOne: cfg.waitingOne, waitingMany: cfg.waitingMany, rejected: cfg.rejected },
    contactNote: cfg.contactOffline,
    onRevoked: function () { showUnregistered(); },
    onRegistered: function () { window.location.reload(); },
  });

  function showUnregistered() {
    clearTimeout(thanksTimer);
    hideWarning();
    startScreen.hidden = true;
    thanksScreen.hidden = true;
    unregisteredScreen.hidden = false;
    window.scrollTo(0, 0);
    document.getElementById("kiosk-unregistered-title").focus();
  }

  // ---- the form ----------------------------------------------------------
  function textFieldNames() {
    var names = {};
    form.querySelectorAll("textarea").forEach(function (el) { names[el.name] = true; });
    return names;
  }

  function fieldsOf() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token") { pairs.push([name, String(value)]); }
    });
    return pairs;
  }

  function clearErrors() {
    form.querySelectorAll(".js-error").forEach(function (p) { p.remove(); });
    form.querySelectorAll(".has-error").forEach(function (fs) {
      fs.classList.remove("has-error");
    });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    var summary = document.getElementById("error-summary");
    if (summary) { summary.remove(); }
  }

  function showError(fieldset, message) {
    fieldset.classList.add("has-error");
    var p = document.createElement("p");
    p.className = "error js-error";
    p.id = fieldset.id + "-js-error";
    p.textContent = message;
    var legend = fieldset.querySelector("legend");
    legend.insertAdjacentElement("afterend", p);
    fieldset.setAttribute("aria-describedby", p.id);
  }

  function missingRequired() {
    var missing = [];
    form.querySelectorAll("fieldset[data-required]").forEach(function (fs) {
      if (!fs.querySelector("input:checked") && !(fs.querySelector("textarea") && fs.querySelector("textarea").value.trim())) {
        missing.push(fs);
      }
    });
    return missing;
  }

  function showServerErrors(errors) {
    Object.keys(errors).forEach(function (name) {
      var input = form.querySelector("[name='" + name + "']");
      var fieldset = input ? input.closest("fieldset") : null;
      if (fieldset) { showError(fieldset, [].concat(errors[name]).join(" ")); }
    });
    var first = form.querySelector("fieldset.has-error");
    if (first) { first.scrollIntoView({ block: "center" }); (first.querySelector("input, textarea") || first).focus(); }
  }

  function clearAnswers() {
    form.querySelectorAll("input[type=radio], input[type=checkbox]").forEach(function (el) { el.checked = false; });
    form.querySelectorAll("textarea, input[type=text], input[type=email]").forEach(function (el) {
      if (el.name !== "homepage") { el.value = ""; }
    });
    form.elements.idempotency_key.value = newKey();
    form.elements.answered_at.value = "";
    clearErrors();
  }

  function hasAnswers() {
    if (form.querySelector("input[type=radio]:checked, input[type=checkbox]:checked")) { return true; }
    return Array.prototype.some.call(form.querySelectorAll("textarea, input[type=text]"), function (el) {
      return el.name !== "homepage" && el.value.trim() !== "";
    });
  }

  function showStart() {
    clearTimeout(thanksTimer);
    clearAnswers();
    if (cfg.language !== cfg.defaultLanguage && navigator.onLine) {
      window.location.replace(cfg.startUrl); // the next guest starts in the installation's language
      return;
    }
    thanksScreen.hidden = true;
    startScreen.hidden = false;
    window.scrollTo(0, 0);
    document.getElementById("kiosk-title").focus();
    lastActivity = Date.now();
  }

  function showThanks(contactNotKept) {
    startScreen.hidden = true;
    thanksScreen.hidden = false;
    document.getElementById("kiosk-contact-not-kept").hidden = !contactNotKept;
    window.scrollTo(0, 0);
    document.getElementById("kiosk-thanks-title").focus();
    thanksTimer = setTimeout(showStart, thanksMs);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearErrors();
    var missing = missingRequired();
    if (missing.length) {
      missing.forEach(function (fs) { showError(fs, cfg.requiredMessage); });
      missing[0].scrollIntoView({ block: "center" });
      (missing[0].querySelector("input") || missing[0]).focus();
      return;
    }
    form.elements.answered_at.value = new Date().toISOString();
    var item = { key: form.elements.idempotency_key.value, fields: fieldsOf(), textFields: textFieldNames() };
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    queue.submit(item).then(function (result) {
      button.disabled = false;
      if (result.outcome === "invalid") {
        showServerErrors(result.errors);
        return;
      }
      if (result.outcome === "unregistered") {
        clearAnswers(); // kept on the device (without contact details) for when the kiosk is registered again
        return;
      }
      showThanks(result.contactNotKept);
    });
  });

  document.getElementById("kiosk-again").addEventListener("click", showStart);

  // ---- idle reset --------------------------------------------------------
  function activity() {
    lastActivity = Date.now();
    if (warningShownAt !== null) { hideWarning(); }
  }
  function hideWarning() {
    warningShownAt = null;
    idleDialog.hidden = true;
  }
  ["pointerdown", "keydown", "input", "touchstart", "wheel"].forEach(function (name) {
    document.addEventListener(name, activity, { passive: true, capture: true });
  });
  document.getElementById("kiosk-continue").addEventListener("click", function () {
    hideWarning();
    lastActivity = Date.now();
  });

  /* Left as the last guest left it: another language, or scrolled down. */
  function leftChanged() {
    return cfg.language !== cfg.defaultLanguage || window.scrollY > 0;
  }

  setInterval(function () {
    var now = Date.now();
    if (!unregisteredScreen.hidden) { return; }
    if (!startScreen.hidden && warningShownAt === null && now - lastActivity >= idleMs) {
      if (hasAnswers()) {
        warningShownAt = now;
        idleDialog.hidden = false;
        document.getElementById("kiosk-continue").focus();
      } else if (leftChanged()) {
        showStart(); // nothing to lose: the next guest gets the default language, from the top
      }
    } else if (warningShownAt !== null && now - warningShownAt >= warningMs) {
      hideWarning();
      showStart();
    }
  }, 250);

  /* Tell the server this kiosk is alive and how many answers wait on it (the console's kiosk list). */
  function reportIn() {
    if (!cfg.seenUrl) { return; }
    fetch(cfg.seenUrl + "?queue=" + queue.pending(), { cache: "no-store", credentials: "same-origin" })
      .catch(function () {});
  }
  reportIn();
  setInterval(reportIn, 5 * 60 * 1000);

  form.elements.idempotency_key.value = form.elements.idempotency_key.value || newKey();
  queue.flush();
})();
