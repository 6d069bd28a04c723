// The kiosk's service worker (served as /sw.js so its scope is the whole app; needs HTTPS or 127.0.0.1).
// Form pages: network first, the cached copy when the network is down. Static files and form assets:
// the cached copy at once, refreshed in the background. POSTs are never touched: the page's own
// IndexedDB outbox (kiosk.js) queues submissions, with or without this worker.
"use strict";
var CACHE = "proconnect-kiosk-v1";
var FORM_PAGE = /^\/f\/[^/]+$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  if (!event.data || !event.data.precache) return;
  var source = event.source;
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(event.data.precache.map(function (url) {
      // Without cookies: a cached page must not carry (or set) anyone's language or session.
      return fetch(url, {credentials: "omit"}).then(function (res) {
        return res.ok ? cache.put(url, res) : null;
      }).catch(function () { return null; });
    }));
  }).then(function () { if (source) source.postMessage("precached"); }));
});

function remember(request, response) {
  if (response.ok) {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
  }
  return response;
}

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  // A recording's file name is new with every take, so a cached one is never stale: played once, it plays offline.
  if (url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/assets/") === 0 ||
      url.pathname.indexOf("/recordings/") === 0) {
    event.respondWith(caches.match(request).then(function (hit) {
      var fresh = fetch(request).then(function (res) { return remember(request, res); });
      if (hit) { fresh.catch(function () {}); return hit; }
      return fresh;
    }));
  } else if (FORM_PAGE.test(url.pathname)) {
    event.respondWith(fetch(request).then(function (res) { return remember(request, res); }, function () {
      return caches.match(request, {ignoreVary: true}).then(function (hit) { return hit || Response.error(); });
    }));
  }
});
