// The recording page: a Record/Stop button per text (MediaRecorder on the microphone). Each take is sent at once
// to the text's upload address; the answer brings the new take's address and the coverage, so the page
// plays it back and counts without a reload. Without a microphone the per-text file upload stays.
(function () {
  "use strict";
  var box = document.getElementById("recorder");
  if (!box) return;
  var labels = {
    record: box.getAttribute("data-record"), stop: box.getAttribute("data-stop"), saving: box.getAttribute("data-saving"),
    recorded: box.getAttribute("data-recorded"), noMic: box.getAttribute("data-no-microphone"),
    failed: box.getAttribute("data-failed"), tooLong: box.getAttribute("data-too-long")
  };
  var problem = document.getElementById("recorder-problem");
  var csrf = box.getAttribute("data-csrf");

  function say(message) {
    problem.textContent = message || "";
    problem.hidden = !message;
  }
  if (!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia) || !window.MediaRecorder) {
    say(labels.noMic);
    return;
  }
  // The first type this browser records in (Chrome webm, Firefox ogg, Safari mp4).
  var type = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"].filter(function (t) {
    return MediaRecorder.isTypeSupported(t);
  })[0] || "";
  var active = null;

  function send(take, blob) {
    var data = new FormData();
    data.append("audio", blob, "take");
    data.append("csrf_token", csrf);
    return fetch(take.getAttribute("data-upload"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": csrf}
    }).then(function (res) {
      // Far beyond the limit the server cuts the request off before the page's own check can answer.
      if (res.status === 413) return {status: "refused", message: labels.tooLong};
      return res.json().catch(function () { return {status: "refused", message: labels.failed}; });
    }).then(function (answer) {
      if (answer.status !== "ok") { say(answer.message || labels.failed); return; }
      say("");
      var player = take.querySelector("[data-player]");
      player.src = answer.url; player.hidden = false;
      take.querySelector("[data-status]").innerHTML = "";
      var badge = document.createElement("span");
      badge.className = "badge ok"; badge.textContent = labels.recorded;
      take.querySelector("[data-status]").appendChild(badge);
      document.querySelector("#coverage [data-covered]").textContent = answer.covered;
      document.querySelector("#coverage [data-total]").textContent = answer.total;
      var bar = document.getElementById("coverage-bar");
      bar.max = answer.total; bar.value = answer.covered;
    }, function () { say(labels.failed); });
  }

  function start(take, button) {
    navigator.mediaDevices.getUserMedia({audio: true}).then(function (stream) {
      var chunks = [], recorder = type ? new MediaRecorder(stream, {mimeType: type}) : new MediaRecorder(stream);
      active = {recorder: recorder, button: button};
      recorder.addEventListener("dataavailable", function (event) { if (event.data.size) chunks.push(event.data); });
      recorder.addEventListener("stop", function () {
        stream.getTracks().forEach(function (track) { track.stop(); });
        var blob = new Blob(chunks, {type: recorder.mimeType || type});
        button.disabled = true; button.textContent = labels.saving;
        var done = function () { button.disabled = false; button.textContent = labels.record; button.setAttribute("aria-pressed", "false"); };
        send(take, blob).then(done, done);
      });
      recorder.start();
      button.textContent = labels.stop; button.setAttribute("aria-pressed", "true");
    }, function () { say(labels.noMic); });
  }

  document.querySelectorAll(".take").forEach(function (take) {
    var button = document.createElement("button");
    button.type = "button"; button.className = "button-primary record"; button.textContent = labels.record;
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-describedby", "take-" + take.getAttribute("data-key") + "-text");
    take.querySelector("[data-record-here]").appendChild(button);
    button.addEventListener("click", function () {
      if (active && active.button === button) { active.recorder.stop(); active = null; return; }
      if (active) { active.recorder.stop(); active = null; }
      start(take, button);
    });
  });
})();
