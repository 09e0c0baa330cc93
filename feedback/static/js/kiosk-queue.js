/* The kiosk's answer queue: no answer the server did not store is ever dropped from the device.
 *
 * - Every answer is written to the device (localStorage) before it is sent,
 *   and leaves it only when the server says it is stored (or was stored
 *   before: each answer carries its idempotency key, so resending is safe).
 * - The device's copy holds no contact details: the e-mail or phone field and
 *   the "contact me" tick are never written to the device, and anything that
 *   looks like an address or a phone number in a comment is masked there. The
 *   first send, while the guest is still here, carries them; if it cannot
 *   reach the server the guest is told that contact details need the network.
 * - A kiosk the server no longer knows (revoked, or an unknown link) shows its
 *   "not registered" screen at once and keeps what it holds; it keeps asking,
 *   and sends everything once an administrator registers it again. Only an
 *   administrator's explicit "discard its waiting answers" clears the device.
 * - An answer the server refuses as invalid after the guest has gone is kept
 *   aside (never dropped), counted in the status line for staff, and tried
 *   again each time the kiosk page starts (after an upgrade it may be accepted).
 * - While offline, the guest is told beside the contact field that contact
 *   details need the network.
 * - Queues left under an older link of this device (the kiosk was registered
 *   again with a new link) are taken over and sent under the new one.
 * - The offline state is shown at the top of the screen, where staff see it.
 *
 * kiosk.js (the screens a guest moves through) calls window.FeedbackKioskQueue.
 */
(function () {
  "use strict";

  var PREFIX = "feedback-kiosk-queue:";
  var REJECTED_PREFIX = "feedback-kiosk-rejected:";
  var CONTACT_FIELDS = { contact: true, contact_me: true };
  // The same idea as the server's masking (services/privacy.py), kept simple: the server masks again.
  var EMAIL = /[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+/g;
  var PHONE = /\+?\(?\d[\d\s().-]{5,}\d/g;

  function maskContacts(text) {
    return String(text).replace(EMAIL, "[e-mail removed]").replace(PHONE, function (run) {
      var digits = run.replace(/\D/g, "").length;
      return digits >= 7 && digits <= 15 ? "[phone removed]" : run;
    });
  }

  function read(key) {
    try {
      var value = JSON.parse(localStorage.getItem(key));
      return Array.isArray(value) ? value : [];
    } catch (e) {
      return [];
    }
  }

  function write(key, items) {
    localStorage.setItem(key, JSON.stringify(items));
  }

  function KioskQueue(options) {
    this.path = options.path;            // the kiosk's own link: where answers are posted
    this.tokenUrl = options.tokenUrl;    // a fresh CSRF token for a page open for weeks
    this.csrfInput = options.csrfInput;  // function returning the page's csrf_token input (or null)
    this.texts = options.texts;          // translated status texts
    this.status = options.status;        // the status line at the top of the screen
    this.onRevoked = options.onRevoked || function () {};
    this.onRegistered = options.onRegistered || function () {};
    this.key = PREFIX + this.path;
    this.rejectedKey = REJECTED_PREFIX + this.path;
    this.flushing = false;
    this.revoked = Boolean(options.revoked);
    if (options.adopt) { this.adoptOlderQueues(); this.retryRejected(); }
    this.contactNote = options.contactNote ? this.placeContactNote(options.contactNote) : null;
    var self = this;
    window.addEventListener("online", function () { self.showStatus(); self.flush(); });
    window.addEventListener("offline", function () { self.showStatus(); });
    setInterval(function () { if (self.pending() || self.revoked) { self.flush(); } }, 10000);
    this.showStatus();
  }

  KioskQueue.prototype.pending = function () { return read(this.key).length; };

  KioskQueue.prototype.adoptOlderQueues = function () {
    var mine = read(this.key);
    var known = {};
    mine.forEach(function (item) { known[item.key] = true; });
    for (var i = localStorage.length - 1; i >= 0; i--) {
      var name = localStorage.key(i);
      if (name && name.indexOf(PREFIX) === 0 && name !== this.key) {
        read(name).forEach(function (item) {
          if (!known[item.key]) { mine.push(item); known[item.key] = true; }
        });
        write(this.key, mine); // ours first, then the old one goes: a crash in between loses nothing
        localStorage.removeItem(name);
      }
    }
    write(this.key, mine);
  };

  /* Answers the server refused before go back in line once per start: they may be accepted now. */
  KioskQueue.prototype.retryRejected = function () {
    var rejected = read(this.rejectedKey);
    if (!rejected.length) { return; }
    var mine = read(this.key);
    var known = {};
    mine.forEach(function (item) { known[item.key] = true; });
    rejected.forEach(function (item) { if (!known[item.key]) { mine.push(item); } });
    write(this.key, mine);
    write(this.rejectedKey, []);
  };

  /* "Contact details need the network", beside the contact field, shown while offline. */
  KioskQueue.prototype.placeContactNote = function (text) {
    var field = document.querySelector("input[name=contact]");
    if (!field) { return null; }
    var note = document.createElement("p");
    note.className = "hint contact-offline";
    note.id = "kiosk-contact-offline";
    note.textContent = text;
    field.insertAdjacentElement("afterend", note);
    return note;
  };

  /* The copy the device keeps: no contact field, no tick, comments masked. */
  KioskQueue.prototype.deviceCopy = function (item) {
    var hadContact = false;
    var fields = [];
    item.fields.forEach(function (pair) {
      if (CONTACT_FIELDS[pair[0]]) {
        if (pair[1] && pair[0] === "contact") { hadContact = true; }
        return;
      }
      fields.push([pair[0], item.textFields && item.textFields[pair[0]] ? maskContacts(pair[1]) : pair[1]]);
    });
    return { key: item.key, fields: fields, hadContact: hadContact };
  };

  KioskQueue.prototype.remove = function (key) {
    write(this.key, read(this.key).filter(function (item) { return item.key !== key; }));
    this.showStatus();
  };

  KioskQueue.prototype.setAside = function (item) {
    var rejected = read(this.rejectedKey);
    rejected.push(item);
    write(this.rejectedKey, rejected);
    this.remove(item.key);
  };

  KioskQueue.prototype.showStatus = function () {
    if (!this.status) { return; }
    var count = this.pending();
    var rejected = read(this.rejectedKey).length;
    var parts = [];
    if (!navigator.onLine) { parts.push(this.texts.offline); }
    if (!this.revoked && count === 1) { parts.push(this.texts.waitingOne); }
    if (!this.revoked && count > 1) { parts.push(this.texts.waitingMany.replace("{count}", String(count))); }
    if (rejected) { parts.push(this.texts.rejected.replace("{count}", String(rejected))); }
    this.status.textContent = parts.join(" ");
    this.status.classList.toggle("is-offline", !navigator.onLine || count > 0);
    if (this.contactNote) { this.contactNote.hidden = navigator.onLine; }
    document.querySelectorAll("[data-queue-count]").forEach(function (el) { el.textContent = String(count); });
  };

  KioskQueue.prototype.refreshToken = function () {
    var self = this;
    return fetch(this.tokenUrl, { headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error("token " + r.status)); })
      .then(function (data) {
        var input = self.csrfInput();
        if (input) { input.value = data.csrf_token; }
        return data.csrf_token;
      });
  };

  KioskQueue.prototype.post = function (item, token) {
    var body = new URLSearchParams();
    item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    if (token) { body.set("csrf_token", token); }
    return fetch(this.path, {
      method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" },
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        return { httpStatus: r.status, data: data };
      });
    });
  };

  /* Send one answer. Resolves to {outcome}: "stored", "duplicate", "invalid" (with errors),
     "unregistered" (the server does not know this kiosk) or "later" (network, limits, server trouble). */
  KioskQueue.prototype.send = function (item) {
    var self = this;
    var input = this.csrfInput();
    return this.post(item, input ? input.value : "").then(function (res) {
      if (res.data.status === "csrf") {
        return self.refreshToken().then(function (fresh) { return self.post(item, fresh); });
      }
      return res;
    }).then(function (res) {
      var status = res.data.status;
      if (res.httpStatus === 200 && (status === "stored" || status === "duplicate")) { return { outcome: status }; }
      if (res.httpStatus === 400 && status === "invalid") { return { outcome: "invalid", errors: res.data.errors || {} }; }
      if (res.httpStatus === 404 && status === "unknown_kiosk") {
        return { outcome: "unregistered", discard: Boolean(res.data.discard) };
      }
      return { outcome: "later" };
    }, function () {
      return { outcome: "later" };
    }).then(function (result) {
      self.noteRegistration(result);
      return result;
    });
  };

  KioskQueue.prototype.noteRegistration = function (result) {
    if (result.outcome === "unregistered") {
      if (result.discard) { // an administrator chose to discard what this kiosk holds
        write(this.key, []);
        write(this.rejectedKey, []);
      }
      if (!this.revoked) { this.revoked = true; this.onRevoked(result); }
    } else if (this.revoked && result.outcome !== "later") {
      this.revoked = false;
      this.onRegistered();
    }
    this.showStatus();
  };

  /* A guest pressed Send: keep a contact-free copy on the device, then send the whole answer. */
  KioskQueue.prototype.submit = function (item) {
    var copy = this.deviceCopy(item);
    var queue = read(this.key);
    queue.push({ key: copy.key, fields: copy.fields });
    write(this.key, queue); // on the device before anything is sent: a dropped network loses nothing
    this.showStatus();
    var self = this;
    return this.send(item).then(function (result) {
      if (result.outcome === "stored" || result.outcome === "duplicate" || result.outcome === "invalid") {
        self.remove(item.key); // stored; or the guest, still here, corrects and sends again
      }
      result.contactNotKept = copy.hadContact && (result.outcome === "later" || result.outcome === "unregistered");
      if (result.outcome !== "invalid") { self.flush(); }
      return result;
    });
  };

  /* Send every waiting answer, oldest first; stop at the first that must wait. */
  KioskQueue.prototype.flush = function () {
    if (this.flushing) { return Promise.resolve(); }
    this.flushing = true;
    var self = this;
    function next() {
      var queue = read(self.key);
      if (queue.length === 0) {
        if (!self.revoked) { return Promise.resolve(); }
        return self.checkRegistration();
      }
      var item = queue[0];
      return self.send(item).then(function (result) {
        if (result.outcome === "later" || result.outcome === "unregistered") { return null; }
        if (result.outcome === "invalid") { self.setAside(item); } else { self.remove(item.key); }
        return next();
      });
    }
    return next().then(function () { self.flushing = false; self.showStatus(); },
                       function () { self.flushing = false; });
  };

  /* With nothing to send, a kiosk shown as not registered asks whether it is registered again. */
  KioskQueue.prototype.checkRegistration = function () {
    var self = this;
    return fetch(this.tokenUrl, { headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin" })
      .then(function (r) {
        if (r.ok) { self.noteRegistration({ outcome: "stored" }); return; }
        return r.json().catch(function () { return {}; }).then(function (data) {
          if (r.status === 404 && data.status === "unknown_kiosk") {
            self.noteRegistration({ outcome: "unregistered", discard: Boolean(data.discard) });
          }
        });
      }, function () {});
  };

  window.FeedbackKioskQueue = KioskQueue;
  window.FeedbackKioskQueue.maskContacts = maskContacts;

  // The server's "not registered" page of a kiosk link: show what waits, and come back once registered again.
  var unregistered = document.getElementById("kiosk-unregistered-page");
  if (unregistered && window.fetch && window.localStorage) {
    var data = unregistered.dataset;
    var queue = new KioskQueue({
      path: data.path, tokenUrl: data.tokenUrl, csrfInput: function () { return null; }, revoked: true,
      status: document.getElementById("kiosk-queue"),
      texts: { offline: data.offline, waitingOne: data.waitingOne, waitingMany: data.waitingMany, rejected: data.rejected },
      onRegistered: function () { window.location.reload(); },
    });
    if (data.discard === "true") { queue.noteRegistration({ outcome: "unregistered", discard: true }); }
    queue.flush();
  }
})();
