/* Kiosk mode: turns the kiosk's plain survey form into a terminal that runs for weeks.
 *
 * - Answers are saved on the device first (localStorage) and then sent; while
 *   the network is down they wait in that queue and are sent when it returns.
 *   Each answer carries its idempotency key and answer time, so however often
 *   it is resent the server stores it once.
 * - A CSRF token expires; a kiosk page does not. When the server says the
 *   token is stale, a fresh one is fetched and the answer resent: the guest
 *   never sees an error for it.
 * - After a submit: a thank-you screen, then a clean start screen.
 * - After an idle time with partial answers: "Are you still there?", then the
 *   answers are cleared for the next guest. Any touch or key press counts as
 *   activity, so a guest who is still answering is never cut off.
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
  var idleDialog = document.getElementById("kiosk-idle");
  var queueStatus = document.getElementById("kiosk-queue");
  var queueKey = "feedback-kiosk-queue:" + form.getAttribute("action");
  var idleMs = Number(cfg.idleSeconds) * 1000;
  var warningMs = Number(cfg.warningSeconds) * 1000;
  var thanksMs = Number(cfg.thanksSeconds) * 1000;
  var lastActivity = Date.now();
  var warningShownAt = null;
  var thanksTimer = null;
  var flushing = false;

  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // ---- the queue ---------------------------------------------------------
  function loadQueue() {
    try {
      return JSON.parse(localStorage.getItem(queueKey)) || [];
    } catch (e) {
      return [];
    }
  }
  function saveQueue(queue) {
    localStorage.setItem(queueKey, JSON.stringify(queue));
    showQueueStatus(queue.length);
  }
  function removeFromQueue(key) {
    saveQueue(loadQueue().filter(function (item) { return item.key !== key; }));
  }
  function showQueueStatus(count) {
    if (count === 0) {
      queueStatus.textContent = "";
    } else if (count === 1) {
      queueStatus.textContent = cfg.waitingOne;
    } else {
      queueStatus.textContent = cfg.waitingMany.replace("{count}", String(count));
    }
  }

  function csrfInput() {
    return form.querySelector("input[name=csrf_token]");
  }

  function refreshToken() {
    return fetch(cfg.tokenUrl, { headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error("token " + r.status)); })
      .then(function (data) {
        if (csrfInput()) { csrfInput().value = data.csrf_token; }
        return data.csrf_token;
      });
  }

  /* Send one queued answer. Resolves to "stored", "duplicate", "invalid" (with errors),
     "gone" (kiosk revoked) or "later" (network down, rate limited, server trouble). */
  function post(item, token) {
    var body = new URLSearchParams();
    item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    if (token) { body.set("csrf_token", token); }
    return fetch(form.getAttribute("action"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        return { httpStatus: r.status, data: data };
      });
    });
  }

  function send(item) {
    var token = csrfInput() ? csrfInput().value : "";
    return post(item, token).then(function (res) {
      if (res.data.status === "csrf") {
        return refreshToken().then(function (fresh) { return post(item, fresh); });
      }
      return res;
    }).then(function (res) {
      var status = res.data.status;
      if (res.httpStatus === 200 && (status === "stored" || status === "duplicate")) { return { outcome: status }; }
      if (res.httpStatus === 400 && status === "invalid") { return { outcome: "invalid", errors: res.data.errors || {} }; }
      if (res.httpStatus === 404) { return { outcome: "gone" }; }
      return { outcome: "later" };
    }, function () {
      return { outcome: "later" };
    });
  }

  /* Send every queued answer, oldest first; stop at the first that must wait. */
  function flush() {
    if (flushing) { return Promise.resolve(); }
    flushing = true;
    function next() {
      var queue = loadQueue();
      if (queue.length === 0) { return Promise.resolve(); }
      var item = queue[0];
      return send(item).then(function (result) {
        if (result.outcome === "later") { return null; }
        removeFromQueue(item.key); // stored, duplicate, or one the server can never accept
        return next();
      });
    }
    return next().then(function () { flushing = false; showQueueStatus(loadQueue().length); },
                       function () { flushing = false; });
  }

  // ---- the form ----------------------------------------------------------
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
    if (cfg.language !== cfg.defaultLanguage && navigator.onLine && loadQueue().length === 0) {
      window.location.replace(cfg.startUrl); // the next guest starts in the installation's language
      return;
    }
    thanksScreen.hidden = true;
    startScreen.hidden = false;
    window.scrollTo(0, 0);
    document.getElementById("kiosk-title").focus();
    lastActivity = Date.now();
  }

  function showThanks() {
    startScreen.hidden = true;
    thanksScreen.hidden = false;
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
    var item = { key: form.elements.idempotency_key.value, fields: fieldsOf() };
    var queue = loadQueue();
    queue.push(item);
    saveQueue(queue); // on the device before anything is sent: a dropped network loses nothing
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    send(item).then(function (result) {
      button.disabled = false;
      if (result.outcome === "invalid") {
        removeFromQueue(item.key);
        showServerErrors(result.errors);
        return;
      }
      if (result.outcome !== "later") { removeFromQueue(item.key); }
      showThanks();
      flush();
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

  setInterval(function () {
    var now = Date.now();
    if (!startScreen.hidden && warningShownAt === null && hasAnswers() && now - lastActivity >= idleMs) {
      warningShownAt = now;
      idleDialog.hidden = false;
      document.getElementById("kiosk-continue").focus();
    } else if (warningShownAt !== null && now - warningShownAt >= warningMs) {
      hideWarning();
      showStart();
    }
  }, 250);

  // ---- sending what waited -----------------------------------------------
  /* Tell the server this kiosk is alive and how many answers wait on it (the console's kiosk list). */
  function reportIn() {
    if (!cfg.seenUrl) { return; }
    fetch(cfg.seenUrl + "?queue=" + loadQueue().length, { cache: "no-store", credentials: "same-origin" })
      .catch(function () {});
  }
  reportIn();
  setInterval(reportIn, 5 * 60 * 1000);

  window.addEventListener("online", flush);
  setInterval(function () { if (loadQueue().length) { flush(); } }, 10000);
  form.elements.idempotency_key.value = form.elements.idempotency_key.value || newKey();
  showQueueStatus(loadQueue().length);
  flush();
})();
