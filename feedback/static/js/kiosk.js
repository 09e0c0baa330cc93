/* Kiosk mode: turns the kiosk's plain survey form into a terminal that runs for weeks.
 *
 * - Answers go through the device's queue (kiosk-queue.js): saved on the
 *   device first, sent, and kept until the server has stored them; a kiosk
 *   the server no longer knows shows its "not registered" screen at once.
 * - One question a screen: an answer touched moves on to the next question by
 *   itself, a progress cue says how far the guest is, and each answer is
 *   queued and sent as it is given (marked partial, same idempotency key), so
 *   a guest who walks away early still counts.
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
    form.elements.partial.value = "";
    clearErrors();
    showScreen(0);
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
      showScreenOf(missing[0]);
      missing.forEach(function (fs) { showError(fs, cfg.requiredMessage); });
      missing[0].scrollIntoView({ block: "center" });
      (missing[0].querySelector("input") || missing[0]).focus();
      return;
    }
    form.elements.answered_at.value = form.elements.answered_at.value || new Date().toISOString();
    form.elements.partial.value = "";
    var item = { key: form.elements.idempotency_key.value, fields: fieldsOf(), textFields: textFieldNames() };
    writeQueue(withoutParts(readQueue(), item.key)); // the whole answer replaces its queued parts
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

  // ---- one question a screen ---------------------------------------------
  var screens = Array.prototype.slice.call(form.querySelectorAll(".question"));
  var questionScreens = screens.filter(function (el) { return !el.dataset.follows && !el.classList.contains("question-comment"); });
  var nav = document.getElementById("kiosk-nav");
  var progressBox = document.getElementById("kiosk-progress");
  var progressText = document.getElementById("kiosk-progress-text");
  var progressBar = document.getElementById("kiosk-progress-bar");
  var sendActions = form.querySelector(".actions");
  var current = 0;
  var advanceTimer = null;
  var lastPointer = 0;
  var pointerChoice = null;
  var partSeq = 0;

  function questionIdOf(el) { return el.id.replace(/^question-/, ""); }

  function lowFace(questionId) {
    var picked = form.querySelector("input[name='q_" + questionId + "']:checked");
    return picked !== null && Number(picked.value) <= 2;
  }

  /* Whether a screen is shown in this guest's walk: a "why?" only after a low face on its question. */
  function opens(index) {
    var el = screens[index];
    return !el.dataset.follows || lowFace(el.dataset.follows);
  }

  function showScreen(index) {
    clearTimeout(advanceTimer);
    current = Math.max(0, Math.min(index, screens.length - 1));
    screens.forEach(function (el, n) { el.hidden = n !== current; });
    var last = current === screens.length - 1;
    startScreen.classList.toggle("kiosk-past-first", current > 0); // the intro gives way to the question
    sendActions.hidden = !last;
    nav.hidden = false;
    var back = document.getElementById("kiosk-back");
    back.hidden = current === 0;
    // On the last screen Back sits beside Send, so both stay in view.
    if (last) { sendActions.insertBefore(back, sendActions.firstChild); } else { nav.insertBefore(back, nav.firstChild); }
    document.getElementById("kiosk-next").hidden = last;
    var el = screens[current];
    var position = questionScreens.indexOf(el);
    var total = questionScreens.length;
    if (position < 0 && el.dataset.follows) {
      position = questionScreens.indexOf(document.getElementById("question-" + el.dataset.follows));
    }
    progressBox.hidden = false;
    progressBar.max = total + 1;
    if (position < 0) {
      progressText.textContent = cfg.progressLast;
      progressBar.value = total + 1;
    } else {
      progressText.textContent = cfg.progress.replace("{number}", String(position + 1)).replace("{total}", String(total));
      progressBar.value = position + 1;
    }
  }

  function showScreenOf(fieldset) {
    var index = screens.indexOf(fieldset);
    if (index >= 0) { showScreen(index); }
  }

  function nextIndex(from) {
    for (var n = from + 1; n < screens.length; n += 1) {
      if (opens(n)) { return n; }
    }
    return screens.length - 1;
  }
  function previousIndex(from) {
    for (var n = from - 1; n > 0; n -= 1) {
      if (!screens[n].dataset.follows) { return n; }
    }
    return 0;
  }

  /* Drop queued parts of one guest's answer (a later, fuller part or the whole answer replaces them). */
  function withoutParts(queue, key) {
    return queue.filter(function (item) { return item.partOf !== key; });
  }

  /* The device's queue, read and written as the queue keeps it (kiosk-queue.js), for the parts below. */
  function readQueue() {
    try { return JSON.parse(localStorage.getItem(queue.key)) || []; } catch (e) { return []; }
  }
  function writeQueue(items) {
    localStorage.setItem(queue.key, JSON.stringify(items));
    queue.showStatus();
  }

  /* Queue and send what this guest has answered so far, marked partial. Each part has its own queue
     entry (so an older part still in flight never removes a newer one), and the same idempotency key;
     like every queued answer it is kept on the device without contact details. */
  function sendPart() {
    var key = form.elements.idempotency_key.value;
    form.elements.answered_at.value = form.elements.answered_at.value || new Date().toISOString();
    form.elements.partial.value = "1";
    partSeq += 1;
    var copy = queue.deviceCopy({ key: key, fields: fieldsOf(), textFields: textFieldNames() });
    form.elements.partial.value = "";
    var waiting = withoutParts(readQueue(), key);
    waiting.push({ key: key + "#" + partSeq, partOf: key, fields: copy.fields });
    writeQueue(waiting);
    queue.flush();
  }

  function advance() {
    var el = screens[current];
    if (el.dataset.required && !el.querySelector("input:checked")) {
      clearErrors();
      showError(el, cfg.requiredMessage);
      (el.querySelector("input") || el).focus();
      return;
    }
    clearErrors();
    if (el.querySelector("input:checked") || (el.querySelector("textarea") && el.querySelector("textarea").value.trim())) {
      sendPart();
    }
    showScreen(nextIndex(current));
    var now = screens[current];
    (now.querySelector("input:checked") || now.querySelector("input, textarea") || now).focus({ preventScroll: true });
  }

  form.addEventListener("pointerdown", function (event) {
    lastPointer = Date.now();
    pointerChoice = event.target.closest ? event.target.closest(".choice") : null;
  }, true);
  form.addEventListener("change", function (event) {
    var input = event.target;
    var touched = pointerChoice !== null && pointerChoice.contains(input) && Date.now() - lastPointer < 1500;
    if (input.type !== "radio" || !touched) { return; } // chosen with the keyboard: Next moves on
    clearTimeout(advanceTimer);
    advanceTimer = setTimeout(advance, 350); // long enough to see the tick on the answer touched
  });
  document.getElementById("kiosk-next").addEventListener("click", advance);
  document.getElementById("kiosk-back").addEventListener("click", function () {
    clearErrors();
    showScreen(previousIndex(current));
  });

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
  var firstError = form.querySelector(".question.has-error");
  showScreen(firstError ? screens.indexOf(firstError) : 0);
  queue.flush();
})();
