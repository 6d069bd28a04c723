// Kiosk mode, progressive enhancement only: without this file the kiosk posts page by page.
// With it: every page of the form in one document (a person can finish while the Wi-Fi is down),
// an outbox in IndexedDB sent to the server exactly once per idempotency key, read-aloud buttons,
// and a reset after the thank-you screen that leaves nothing of the person in page, history or storage.
(function () {
  "use strict";
  var QUEUE_HEADER = "X-Proconnect-Queue", RETRY_MS = 20000, SEND_TIMEOUT_MS = 10000, CHECK_TIMEOUT_MS = 4000;

  // ---- IndexedDB: the outbox (finished forms not yet accepted by the server) and the tablet's id.
  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open("proconnect-kiosk", 1);
      req.onupgradeneeded = function () {
        req.result.createObjectStore("outbox", {keyPath: "key"});
        req.result.createObjectStore("meta");
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function store(name, mode, action) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(name, mode), req = action(t.objectStore(name));
        t.oncomplete = function () { db.close(); resolve(req.result); };
        t.onerror = t.onabort = function () { db.close(); reject(t.error); };
      });
    });
  }
  var outbox = {
    put: function (item) { return store("outbox", "readwrite", function (s) { return s.put(item); }); },
    all: function () { return store("outbox", "readonly", function (s) { return s.getAll(); }); },
    remove: function (key) { return store("outbox", "readwrite", function (s) { return s.delete(key); }); }
  };
  function randomKey() {
    // crypto.getRandomValues works outside a secure context too (randomUUID does not).
    var bytes = new Uint8Array(24);
    crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  var deviceId = null;
  function device() {
    deviceId = deviceId || store("meta", "readonly", function (s) { return s.get("device"); }).then(function (id) {
      if (id) return id;
      id = randomKey();
      return store("meta", "readwrite", function (s) { return s.put(id, "device"); }).then(function () { return id; });
    });
    return deviceId;
  }

  // ---- Sending: one POST per finished form; the server's answer decides whether it leaves the outbox.
  // "person" is true while the person is still at the tablet: answers the server refuses go back to them.
  function send(item, pending, person) {
    return device().then(function (id) {
      var controller = new AbortController(), timer = setTimeout(function () { controller.abort(); }, SEND_TIMEOUT_MS);
      var headers = {"Content-Type": "application/x-www-form-urlencoded"};
      headers[QUEUE_HEADER] = "1";
      return fetch(item.sync, {method: "POST", headers: headers, credentials: "same-origin", cache: "no-store",
                               signal: controller.signal,
                               body: item.body + "&_kiosk=" + encodeURIComponent(id) + "&_pending=" + pending})
        .then(function (res) {
          clearTimeout(timer);
          // The server (or a proxy) is busy or down: the same item, later, and nothing behind it before.
          if (res.status >= 500 || res.status === 429) return {status: "later"};
          return res.json().catch(function () { return {status: "refused"}; }).then(function (data) {
            if (res.ok && (data.status === "stored" || data.status === "duplicate")) {
              return outbox.remove(item.key).then(function () { return data; });
            }
            // Not taken yet, but it may be (a link not open yet): the server says final: false.
            if (data.final === false) return {status: "later"};
            if (res.status === 422 && person) return data;
            // Refused for good (link closed or full, version gone, answers not accepted): never resent, never
            // deleted, shown to staff on the PIN screen; the items behind it go on.
            item.held = data.status || "refused";
            item.heldAt = Date.now();
            return outbox.put(item).then(function () { data.held = true; return data; });
          });
        }, function () { clearTimeout(timer); return {status: "later"}; });
    });
  }
  var flushing = null;
  function flush() {
    if (flushing) return flushing;
    flushing = outbox.all().then(function (items) {
      var waiting = items.filter(function (i) { return !i.held; });
      return waiting.reduce(function (chain, item, index) {
        return chain.then(function (go) {
          return go && send(item, waiting.length - index - 1).then(function (r) { return r.status !== "later"; });
        });
      }, Promise.resolve(true));
    }).catch(function () {}).then(function () { flushing = null; return showPending(); });
    return flushing;
  }
  function showPending() {
    var badge = document.getElementById("kiosk-pending"), held = document.getElementById("kiosk-held");
    return outbox.all().then(function (items) {
      var waiting = items.filter(function (i) { return !i.held; });
      if (badge) {
        badge.textContent = badge.getAttribute("data-template").replace("{count}", waiting.length);
        badge.hidden = waiting.length === 0;
      }
      if (held) showHeld(held, items.filter(function (i) { return i.held; }));
      return waiting.length;
    }, function () { return 0; });
  }
  function showHeld(section, items) {
    // For staff only (the PIN screen): when and why each refused item was refused; never its answers.
    var list = section.querySelector("ul");
    section.querySelector("p").textContent = section.getAttribute("data-template").replace("{count}", items.length);
    list.innerHTML = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = new Date(item.heldAt || item.created).toLocaleString() + ": " +
        (section.getAttribute("data-" + item.held) || section.getAttribute("data-refused"));
      list.appendChild(li);
    });
    section.hidden = items.length === 0;
  }
  function heartbeat(sync) {
    // Tells the server this tablet is alive and how much waits here, so staff can see which kiosks synced.
    return outbox.all().then(function (items) {
      if (items.length) return flush();
      var headers = {"Content-Type": "application/x-www-form-urlencoded"};
      headers[QUEUE_HEADER] = "1";
      return device().then(function (id) {
        return fetch(sync, {method: "POST", headers: headers, credentials: "same-origin",
                            body: "_kiosk=" + encodeURIComponent(id) + "&_pending=0"}).catch(function () {});
      });
    }).catch(function () {});
  }

  // ---- Navigation without history: the next person must not find the previous one behind "Back".
  function go(url) { location.replace(url); }
  document.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest("a[href]");
    if (a && a.origin === location.origin) { event.preventDefault(); go(a.href); }
  });

  // ---- Read-aloud: recorded audio (audio/<lang>/<field-id>[.<choice>].<ext>) first, else the device's voice.
  function speakers(root, lang, audio, label) {
    var synth = window.speechSynthesis, playing = null;
    function voice() {
      var base = lang.split("-")[0];
      return synth && synth.getVoices().filter(function (v) { return (v.lang || "").toLowerCase().split(/[-_]/)[0] === base; })[0];
    }
    function say(key, text, button) {
      if (synth) synth.cancel();
      if (playing) { playing.pause(); playing = null; }
      if (audio[key]) { playing = new Audio(audio[key]); playing.play().catch(function () {}); return; }
      var v = voice();
      if (!v) return;
      var u = new SpeechSynthesisUtterance(text);
      u.lang = v.lang; u.voice = v;
      synth.speak(u);
    }
    function button(key, text) {
      var b = document.createElement("button");
      b.type = "button"; b.className = "speak"; b.textContent = "\uD83D\uDD0A";
      b.setAttribute("aria-label", label + ": " + text);
      b.addEventListener("click", function () { say(key, text, b); });
      return b;
    }
    // Titles, help, texts of notes and consents, matrix rows: keys as in recordings/texts.py.
    function beside(el, key, after) {
      var text = el && el.textContent.trim();
      if (!text || el.hasAttribute("data-speak-done") || !(audio[key] || voice())) return;
      el.setAttribute("data-speak-done", "");
      if (after) return el.after(button(key, text));
      var line = document.createElement("div");
      line.className = "question-head";
      el.before(line);
      line.append(el, button(key, text));
    }
    function add() {
      var hasVoice = !!voice();
      beside(root.querySelector("h1"), "form-title");
      beside(root.querySelector(".form-description"), "form-description");
      root.querySelectorAll("[data-page] .page-title").forEach(function (h) {
        beside(h, "page-" + h.closest("[data-page]").dataset.page);
      });
      root.querySelectorAll("[id^='q-']:not(.matrix-row)").forEach(function (q) {
        var id = q.id.slice(2);
        beside(q.querySelector(":scope > .help"), id + "-help");
        beside(q.querySelector(".consent-text, .note > h2 + p"), id + "-text");
        q.querySelectorAll(".matrix-row > legend").forEach(function (l) {
          beside(l, id + "." + l.parentNode.id.slice(q.id.length + 1), 1);
        });
        if (q.hasAttribute("data-speak-done")) return;
        var title = q.querySelector(".question-label, h2, p");
        if (!title || !(audio[id] || hasVoice)) return;
        q.setAttribute("data-speak-done", "");
        var text = title.textContent.trim();
        q.insertBefore(button(id, text), q.firstChild).classList.add("speak-question");
        q.querySelectorAll(".option").forEach(function (option) {
          var input = option.querySelector("input"), span = option.querySelector(".option-label");
          if (!input || !span || option.closest(".matrix-row") || input.closest(".question-consent")) return;
          var key = id + "." + input.value;
          if (!(audio[key] || hasVoice)) return;
          var row = document.createElement("div");
          row.className = "option-row";
          option.parentNode.insertBefore(row, option);
          row.appendChild(option);
          row.appendChild(button(key, span.textContent.trim()));
        });
      });
    }
    add();
    if (synth && synth.addEventListener) synth.addEventListener("voiceschanged", add);
  }

  // ---- Participant cards: the camera reads the card's QR code into the code field (where the device can).
  function cardScanner(form, labels) {
    var input = form.querySelector("input[name=participant_code]");
    if (!input || !("BarcodeDetector" in window) || !(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) return;
    var button = document.createElement("button");
    button.type = "button"; button.className = "button-secondary scan-card"; button.textContent = labels.scan;
    input.after(button);
    button.addEventListener("click", function () {
      var detector = new BarcodeDetector({formats: ["qr_code"]}), stream = null, timer = null;
      var box = document.createElement("div"), video = document.createElement("video"), close = document.createElement("button");
      box.className = "scan-box"; video.muted = true; video.setAttribute("playsinline", "");
      close.type = "button"; close.className = "button-primary"; close.textContent = labels.close;
      box.appendChild(video); box.appendChild(close);
      document.body.appendChild(box);
      function stop() {
        clearInterval(timer);
        if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
        box.remove(); input.focus();
      }
      close.addEventListener("click", stop);
      navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (s) {
        stream = s; video.srcObject = s;
        return video.play();
      }).then(function () {
        timer = setInterval(function () {
          detector.detect(video).then(function (codes) {
            if (!codes.length) return;
            input.value = codes[0].rawValue.trim().toUpperCase();
            input.dispatchEvent(new Event("input", {bubbles: true}));
            stop();
          }).catch(function () {});
        }, 300);
      }).catch(stop);
    });
  }

  // ---- The form: all pages as screens, checked before moving on, sent (or queued) at the end.
  function kioskForm(form, cfg) {
    var keyInput = form.querySelector("input[name=_key]");
    keyInput.value = randomKey();  // a cached page holds a used key: each person gets a new one here
    var current = form.querySelector(".form-page");
    var title = form.querySelector(".page-title"), description = form.querySelector(".form-description");
    [description, title].forEach(function (el) { if (el) current.insertBefore(el, current.firstChild); });
    var names = {};
    form.querySelectorAll("template.kiosk-template").forEach(function (template) {
      var page = template.content.firstElementChild.cloneNode(true), index = Number(page.getAttribute("data-page"));
      page.querySelectorAll("[name]").forEach(function (el) { names[el.name] = true; });
      if (index < Number(current.getAttribute("data-page"))) current.parentNode.insertBefore(page, current);
      else {
        var after = form.querySelectorAll(".form-page");
        after = after[after.length - 1];
        after.parentNode.insertBefore(page, after.nextSibling);
      }
      template.remove();
    });
    // Answers carried from earlier pages now live in their own inputs.
    form.querySelectorAll("input[type=hidden]").forEach(function (el) { if (names[el.name]) el.remove(); });
    var pages = Array.prototype.slice.call(form.querySelectorAll(".form-page"));
    var position = pages.indexOf(current);
    var nav = form.querySelector(".nav-buttons"), progress = form.querySelector("progress");
    var progressText = document.getElementById("progress-text");
    nav.innerHTML = "";
    var next = document.createElement("button"), back = document.createElement("button");
    next.type = back.type = "button";
    next.className = "button-primary"; back.className = "button-secondary";
    back.textContent = cfg.back;
    nav.appendChild(next); nav.appendChild(back);

    function shownPages() {
      // A matrix's rows carry ids of their own and stay unhidden when the matrix is hidden: only questions count
      // (a trade's page whose questions its show_if hides is no screen).
      return pages.filter(function (p) { return p.querySelector("[id^='q-']:not(.matrix-row):not([hidden])"); });
    }
    function show(page) {
      var visible = shownPages(), at = visible.indexOf(page);
      pages.forEach(function (p) { p.hidden = p !== page; });
      next.textContent = at === visible.length - 1 ? cfg.send : cfg.next;
      back.hidden = at <= 0;
      if (progress) { progress.max = visible.length; progress.value = at + 1; progress.textContent = (at + 1) + "/" + visible.length; }
      if (progressText) progressText.textContent = cfg.progress.replace("{position}", at + 1).replace("{total}", visible.length);
      // The server's notice (e.g. "this form was changed") stays until the person moves to another screen.
      if (page !== current) form.querySelectorAll(".notice").forEach(function (n) { n.remove(); });
      current = page;
      window.scrollTo(0, 0);
    }
    function missing(question) {
      if (!question.querySelector(".required-mark")) return false;
      var rows = question.querySelectorAll(".matrix-row");
      var groups = rows.length ? Array.prototype.slice.call(rows) : [question];
      return groups.some(function (g) {
        var inputs = g.querySelectorAll("input, textarea, select");
        return !Array.prototype.some.call(inputs, function (el) {
          return (el.type === "radio" || el.type === "checkbox") ? el.checked : el.value.trim() !== "";
        });
      });
    }
    function mark(q, message) {
      var p = document.createElement("p");
      p.className = "field-error k-error"; p.id = q.id + "-kerror"; p.textContent = message;
      var head = q.querySelector("legend, label, .question-label");
      (head && head.parentNode === q ? head : q.firstChild).after(p);
      q.classList.add("has-error");
      q.querySelectorAll("input, textarea, select").forEach(function (el) {
        el.setAttribute("aria-invalid", "true"); el.setAttribute("aria-describedby", p.id);
      });
    }
    function unmarkAll(page) {
      page.querySelectorAll(".k-error").forEach(function (e) { e.remove(); });
      page.querySelectorAll("[id^='q-'].has-error").forEach(function (q) { q.classList.remove("has-error"); });
      page.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    }
    function focusFirst(page) {
      var q = page.querySelector("[id^='q-'].has-error"), el = q && q.querySelector("input, textarea, select");
      if (el) el.focus();
      return !q;
    }
    function check(page) {
      unmarkAll(page);
      page.querySelectorAll("[id^='q-']:not(.matrix-row)").forEach(function (q) {
        if (q.closest("[hidden]")) return;  // hidden by its show_if
        if (missing(q)) mark(q, cfg.required);
      });
      return focusFirst(page);
    }
    // The server checks the screen as it will check the sent form (a number typed as words, a date out of range):
    // the person hears about it here, not after the last screen. Offline, or when the server is slow, the tablet
    // moves on; the answers are checked again when they are sent.
    function serverCheck(page) {
      var data = new URLSearchParams(new FormData(form));
      data.set("_page", page.getAttribute("data-page"));
      data.set("_lang", cfg.lang);
      var controller = new AbortController(), timer = setTimeout(function () { controller.abort(); }, CHECK_TIMEOUT_MS);
      var headers = {"Content-Type": "application/x-www-form-urlencoded"};
      headers[QUEUE_HEADER] = "1";
      return fetch(cfg.check, {method: "POST", headers: headers, credentials: "same-origin", cache: "no-store",
                               signal: controller.signal, body: data.toString()})
        .then(function (res) {
          clearTimeout(timer);
          if (res.status !== 422) return true;
          return res.json().then(function (reply) {
            Object.keys(reply.errors || {}).forEach(function (name) {
              var el = form.querySelector("[name='" + CSS.escape(name) + "']");
              var q = el && el.closest("[id^='q-']:not(.matrix-row)");
              if (q && page.contains(q) && !q.querySelector(".k-error")) mark(q, reply.errors[name][0]);
            });
            return focusFirst(page);
          }, function () { return true; });
        }, function () { clearTimeout(timer); return true; });
    }
    function nativeSubmit() {
      // The server shows its own messages on the page that needs them (the page-by-page path).
      form.setAttribute("data-native", "");
      form.querySelector("input[name=_page]").value = current.getAttribute("data-page");
      var navInput = document.createElement("input");
      navInput.type = "hidden"; navInput.name = "_nav"; navInput.value = "submit";
      form.appendChild(navInput);
      form.submit();
    }
    function finish() {
      var data = new URLSearchParams(new FormData(form));
      data.set("_nav", "submit");
      data.set("_lang", cfg.lang);
      var item = {key: keyInput.value, sync: cfg.sync, body: data.toString(), created: Date.now()};
      next.disabled = back.disabled = true;
      outbox.put(item).then(function () {
        return send(item, 0, true);
      }).then(function (result) {
        // The server shows what to change on the page that needs it (the person's answers stay in the page).
        if (result.status === "invalid" || result.status === "version") return outbox.remove(item.key).then(nativeSubmit);
        // Refused for good (link closed or full): never a thank-you for answers not taken; the server's page says
        // why, and the item stays for staff.
        if (result.held) return nativeSubmit();
        thanks(form, cfg);
      }, nativeSubmit);
    }
    next.addEventListener("click", function () {
      if (!check(current)) return;
      var page = current;
      next.disabled = true;
      serverCheck(page).then(function (ok) {
        next.disabled = false;
        if (!ok || page !== current) return;
        var visible = shownPages(), at = visible.indexOf(current);
        if (at === visible.length - 1) finish(); else show(visible[at + 1]);
      });
    });
    back.addEventListener("click", function () {
      var visible = shownPages(), at = visible.indexOf(current);
      if (at > 0) show(visible[at - 1]);
    });
    form.addEventListener("submit", function (event) {
      if (!form.hasAttribute("data-native")) { event.preventDefault(); next.click(); }
    });
    // form.js decides show_if on "input"/"change"; a page may become empty, so recount afterwards.
    form.addEventListener("change", function () { setTimeout(function () { show(current); }, 0); });
    show(pages[position]);
    speakers(form, cfg.lang, cfg.audio, cfg.speak);
    cardScanner(form, {scan: cfg.scan, close: cfg.close});
    // A person who walks away mid-form must not leave their answers to the next one.
    var lastTouch = Date.now();
    ["input", "change", "click", "keydown", "touchstart", "scroll"].forEach(function (type) {
      window.addEventListener(type, function () { lastTouch = Date.now(); }, {passive: true, capture: true});
    });
    var idle = setInterval(function () {
      if (Date.now() - lastTouch < cfg.idle * 1000 || !document.contains(form)) return;
      clearInterval(idle);
      form.remove();
      go(cfg.start);
    }, 1000);
  }

  function thanks(form, cfg) {
    if (window.speechSynthesis) window.speechSynthesis.cancel();
    form.remove();  // nothing of the person stays in the page
    var section = document.getElementById("kiosk-thanks"), seconds = cfg.reset, restart;
    section.hidden = false;
    section.focus();
    function reset() {
      clearInterval(restart);
      // Offline without a service worker the start page cannot load: wait for the network.
      if (navigator.onLine || (navigator.serviceWorker && navigator.serviceWorker.controller)) go(cfg.start);
      else window.addEventListener("online", function () { go(cfg.start); }, {once: true});
    }
    restart = setInterval(function () { if (--seconds <= 0) reset(); }, 1000);
    document.getElementById("kiosk-restart").addEventListener("click", reset);
    flush();
  }

  function worker(urls) {
    if (!("serviceWorker" in navigator)) { document.documentElement.setAttribute("data-kiosk-ready", "no-worker"); return; }
    navigator.serviceWorker.register("/sw.js").then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data === "precached") document.documentElement.setAttribute("data-kiosk-ready", "cached");
      });
      if (urls) registration.active.postMessage({precache: urls});
    }).catch(function () { document.documentElement.setAttribute("data-kiosk-ready", "no-worker"); });
  }

  var cfgEl = document.getElementById("kiosk"), start = document.getElementById("kiosk-start");
  var form = document.querySelector("form.response-form");
  if (cfgEl && form) {
    kioskForm(form, {
      sync: cfgEl.getAttribute("data-sync"), check: cfgEl.getAttribute("data-check-url"), start: cfgEl.getAttribute("data-start"), lang: cfgEl.getAttribute("data-lang"),
      reset: Number(cfgEl.getAttribute("data-reset")) || 12, audio: JSON.parse(cfgEl.getAttribute("data-audio") || "{}"),
      next: cfgEl.getAttribute("data-next"), back: cfgEl.getAttribute("data-back"), send: cfgEl.getAttribute("data-send"),
      progress: cfgEl.getAttribute("data-progress"), required: cfgEl.getAttribute("data-required"),
      speak: cfgEl.getAttribute("data-speak"), scan: cfgEl.getAttribute("data-scan"),
      close: cfgEl.getAttribute("data-close"), idle: Number(cfgEl.getAttribute("data-idle")) || 180
    });
    worker(null);
  }
  var pinTablet = document.getElementById("kiosk-device");
  // The PIN screen names its tablet, so that wrong PINs typed here make only this tablet wait.
  if (pinTablet) device().then(function (id) { pinTablet.value = id; }).catch(function () {});
  if (start) {
    heartbeat(start.getAttribute("data-sync")).then(showPending);
    worker(JSON.parse(start.getAttribute("data-precache") || "null"));
    var sendNow = document.getElementById("kiosk-send-now");
    if (sendNow) sendNow.addEventListener("click", flush);
  }
  showPending();
  window.addEventListener("online", flush);
  setInterval(function () { if (navigator.onLine) flush(); }, RETRY_MS);
})();
