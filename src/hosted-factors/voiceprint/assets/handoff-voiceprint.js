/**
 * The voice recording page of the hosted hand-off (served at /handoff/assets/handoff-voiceprint.js,
 * CSP `script-src 'self'` + `connect-src 'self'`). It records the microphone through an AudioContext
 * (an AudioWorklet, or a ScriptProcessor where worklets are missing), downmixes to mono, resamples
 * to 16 kHz with a windowed-sinc low-pass, encodes a 16-bit PCM WAV and POSTs it with the sealed
 * session. The server decides everything; its JSON answer is a result URL to go to, or a message to
 * show with the session for the next take.
 */
(function () {
  'use strict';
  var root = document.getElementById('voiceprint');
  if (!root) return;
  var TARGET_RATE = 16000;
  var MAX_SECONDS = 15;
  var MIN_SECONDS = 1.5;
  /** Recording stops by itself after this much quiet following speech. */
  var QUIET_STOP_SECONDS = 1.2;
  /** About -36 dBFS: louder blocks count as speech for the auto-stop (the server judges quality). */
  var SPEECH_RMS = 0.016;
  var WORKLET = '/handoff/assets/handoff-voiceprint-worklet.js';

  var recordButton = document.getElementById('vp-record');
  var stopButton = document.getElementById('vp-stop');
  var status = document.getElementById('vp-status');
  var alertBox = document.getElementById('vp-alert');
  var meter = document.getElementById('vp-level');
  var timer = document.getElementById('vp-timer');
  var progress = document.getElementById('vp-progress');
  var doneForm = document.getElementById('vp-done');
  var uploadPath = root.getAttribute('data-upload') || '';
  if (uploadPath.charAt(0) !== '/') return;

  var recording = null;

  /**
   * A text in the page's language: the server renders each as a data-msg-* attribute on the
   * recorder (voiceprint-pages.ts), with {name} placeholders this script fills. The script has no
   * texts of its own.
   */
  function text(name, params) {
    var message = root.getAttribute('data-msg-' + name) || '';
    return message.replace(/\{(\w+)\}/g, function (whole, key) {
      return params && Object.prototype.hasOwnProperty.call(params, key) ? String(params[key]) : whole;
    });
  }

  function setState(state) {
    root.setAttribute('data-state', state);
  }
  function say(text) {
    if (status) status.textContent = text;
  }
  function showAlert(text) {
    if (!alertBox) return;
    alertBox.textContent = text;
    alertBox.hidden = text === '';
  }
  function setSession(sealed) {
    root.setAttribute('data-session', sealed);
    var fields = document.querySelectorAll('input[name="session"]');
    for (var i = 0; i < fields.length; i++) fields[i].value = sealed;
  }
  /** Digits mode: each enrolment take says its own digits, which the server names in its answer. */
  function showPrompt(prompt) {
    var phrase = document.getElementById('vp-phrase');
    if (phrase) phrase.textContent = text('say-prompt', { prompt: prompt });
  }
  function showProgress(accepted, needed) {
    if (!progress) return;
    progress.textContent =
      accepted >= needed
        ? text('all-takes', { needed: needed })
        : text('take-progress', { take: accepted + 1, needed: needed, saved: accepted });
  }

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || typeof AudioContext === 'undefined') {
    showAlert(text('no-audio'));
    return;
  }
  recordButton.hidden = false;
  setState('idle');

  /** A start that failed: the Record button again, with what went wrong. */
  function startFailed(error) {
    cleanUp();
    recordButton.hidden = false;
    recordButton.disabled = false;
    stopButton.hidden = true;
    setState('idle');
    var name = error && error.name;
    if (name === 'NotAllowedError' || name === 'SecurityError') showAlert(text('mic-blocked'));
    else if (name === 'NotFoundError' || name === 'OverconstrainedError') showAlert(text('no-mic'));
    else {
      var reason = error && error.message ? error.message : text('unknown-error');
      showAlert(text('could-not-start', { error: reason }));
    }
    say(text('press-record'));
  }
  recordButton.addEventListener('click', function () {
    start().catch(startFailed);
  });
  // One click from the chooser: a sign-in page records at once (not on a reload or Back, where the
  // user did not just ask for it). Where the browser keeps audio suspended without a click on this
  // page, the Record button is there as before.
  var navigation = window.performance && window.performance.getEntriesByType ? window.performance.getEntriesByType('navigation')[0] : null;
  var revisit = navigation && (navigation.type === 'reload' || navigation.type === 'back_forward');
  if (root.getAttribute('data-autostart') === 'true' && !revisit) {
    start().catch(function (error) {
      if (error && error.name === 'AutoplayBlocked') {
        cleanUp();
        recording = null;
        recordButton.hidden = false;
        recordButton.disabled = false;
        stopButton.hidden = true;
        setState('idle');
        say(text('press-record'));
        return;
      }
      startFailed(error);
    });
  }
  stopButton.addEventListener('click', function () {
    finish();
  });

  async function start() {
    showAlert('');
    recordButton.disabled = true;
    say(text('starting'));
    var stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
    var audio = new AudioContext();
    recording = { stream: stream, audio: audio, chunks: [], frames: 0, heardSpeech: false, lastLoud: 0, done: false, node: null, source: null };
    var rec = recording;
    var source = audio.createMediaStreamSource(stream);
    var node;
    if (audio.audioWorklet && typeof AudioWorkletNode !== 'undefined') {
      await audio.audioWorklet.addModule(WORKLET);
      node = new AudioWorkletNode(audio, 'verity-recorder', { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] });
      node.port.onmessage = function (event) {
        take(rec, event.data);
      };
    } else {
      node = audio.createScriptProcessor(4096, 2, 1);
      node.onaudioprocess = function (event) {
        var input = event.inputBuffer;
        var mono = new Float32Array(input.length);
        for (var c = 0; c < input.numberOfChannels; c++) {
          var data = input.getChannelData(c);
          for (var i = 0; i < data.length; i++) mono[i] += data[i] / input.numberOfChannels;
        }
        take(rec, mono);
      };
    }
    rec.node = node;
    rec.source = source;
    source.connect(node);
    // Connected to the output so the graph pulls it; it writes silence there.
    node.connect(audio.destination);
    if (audio.state === 'suspended') {
      // Without a user gesture on this page resume() may wait forever: give it a moment, then ask for a click.
      await Promise.race([audio.resume(), new Promise(function (resolve) { setTimeout(resolve, 1500); })]);
      if (audio.state !== 'running') {
        var blocked = new Error('audio suspended');
        blocked.name = 'AutoplayBlocked';
        throw blocked;
      }
    }
    recordButton.hidden = true;
    stopButton.hidden = false;
    stopButton.disabled = false;
    setState('recording');
    say(text('recording'));
  }

  function take(rec, block) {
    if (rec.done) return;
    rec.chunks.push(block);
    rec.frames += block.length;
    var sum = 0;
    for (var i = 0; i < block.length; i++) sum += block[i] * block[i];
    var rms = Math.sqrt(sum / block.length);
    var seconds = rec.frames / rec.audio.sampleRate;
    meter.value = Math.max(0, Math.min(1, (20 * Math.log10(rms + 1e-9) + 60) / 60));
    timer.textContent = seconds.toFixed(1) + ' s';
    if (rms >= SPEECH_RMS) {
      rec.heardSpeech = true;
      rec.lastLoud = seconds;
    }
    var quietAfterSpeech = rec.heardSpeech && seconds - rec.lastLoud >= QUIET_STOP_SECONDS && seconds >= MIN_SECONDS;
    if (quietAfterSpeech || seconds >= MAX_SECONDS) finish();
  }

  function cleanUp() {
    var rec = recording;
    if (!rec) return;
    rec.done = true;
    try {
      if (rec.source) rec.source.disconnect();
      if (rec.node) rec.node.disconnect();
    } catch {
      // Already disconnected.
    }
    rec.stream.getTracks().forEach(function (track) {
      track.stop();
    });
    rec.audio.close().catch(function () {});
  }

  function finish() {
    var rec = recording;
    if (!rec || rec.done) return;
    cleanUp();
    recording = null;
    stopButton.hidden = true;
    meter.value = 0;
    setState('uploading');
    say(text('checking'));
    var samples = new Float32Array(rec.frames);
    var offset = 0;
    rec.chunks.forEach(function (chunk) {
      samples.set(chunk, offset);
      offset += chunk.length;
    });
    var wav = encodeWav(resample(samples, rec.audio.sampleRate, TARGET_RATE), TARGET_RATE);
    upload(wav).catch(function () {
      showAlert(text('network'));
      ready();
    });
  }

  function ready() {
    recordButton.hidden = false;
    recordButton.disabled = false;
    setState('idle');
  }

  /**
   * Windowed-sinc (Blackman) low-pass at 90 % of the new Nyquist, evaluated at each output instant.
   * Not a copy of src/audio/telephone-band.ts: that one band-passes to 8 kHz (a phone line) on the
   * server; this one keeps the wide band and only brings the microphone's rate (44.1/48 kHz) to the
   * 16 kHz the recording API accepts (8 or 16 kHz WAV). It runs in the page, which is served as is,
   * without a build step, so it cannot import the server's TypeScript.
   */
  function resample(input, fromRate, toRate) {
    if (fromRate === toRate) return input;
    var ratio = fromRate / toRate;
    var cutoff = (0.5 * Math.min(1, toRate / fromRate)) * 0.9;
    var half = Math.ceil(8 / cutoff / 2);
    var out = new Float32Array(Math.floor(input.length / ratio));
    for (var i = 0; i < out.length; i++) {
      var t = i * ratio;
      var centre = Math.floor(t);
      var sum = 0;
      var weights = 0;
      for (var k = centre - half + 1; k <= centre + half; k++) {
        if (k < 0 || k >= input.length) continue;
        var d = t - k;
        var x = 2 * cutoff * d;
        var sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        var w = 0.42 + 0.5 * Math.cos((Math.PI * d) / half) + 0.08 * Math.cos((2 * Math.PI * d) / half);
        var h = sinc * w;
        sum += input[k] * h;
        weights += h;
      }
      out[i] = weights === 0 ? 0 : sum / weights;
    }
    return out;
  }

  /** RIFF/WAVE, PCM 16-bit little-endian, mono. */
  function encodeWav(samples, rate) {
    var buffer = new ArrayBuffer(44 + samples.length * 2);
    var view = new DataView(buffer);
    function text(at, value) {
      for (var i = 0; i < value.length; i++) view.setUint8(at + i, value.charCodeAt(i));
    }
    text(0, 'RIFF');
    view.setUint32(4, 36 + samples.length * 2, true);
    text(8, 'WAVE');
    text(12, 'fmt ');
    view.setUint32(16, 16, true);
    view.setUint16(20, 1, true);
    view.setUint16(22, 1, true);
    view.setUint32(24, rate, true);
    view.setUint32(28, rate * 2, true);
    view.setUint16(32, 2, true);
    view.setUint16(34, 16, true);
    text(36, 'data');
    view.setUint32(40, samples.length * 2, true);
    for (var i = 0; i < samples.length; i++) {
      var s = Math.max(-1, Math.min(1, samples[i]));
      view.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
    }
    return new Blob([buffer], { type: 'audio/wav' });
  }

  async function upload(wav) {
    var response = await fetch(uploadPath, {
      method: 'POST',
      headers: { 'content-type': 'audio/wav', 'x-handoff-session': root.getAttribute('data-session') || '' },
      body: wav,
      credentials: 'same-origin',
      cache: 'no-store',
    });
    var answer;
    try {
      answer = await response.json();
    } catch {
      answer = { message: text('server-error', { status: response.status }), retry: true };
    }
    if (typeof answer.session === 'string') setSession(answer.session);
    if (typeof answer.location === 'string') {
      setState('done');
      say(text('matched'));
      window.location.assign(answer.location);
      return;
    }
    if (answer.done === true) {
      setState('done');
      if (progress) progress.textContent = text('all-takes-done');
      say(answer.message || text('set-up'));
      if (doneForm) {
        doneForm.hidden = false;
        var button = doneForm.querySelector('button');
        if (button) button.focus();
      }
      return;
    }
    if (typeof answer.accepted === 'number' && typeof answer.needed === 'number') showProgress(answer.accepted, answer.needed);
    if (typeof answer.prompt === 'string') showPrompt(answer.prompt);
    showAlert(typeof answer.message === 'string' ? answer.message : '');
    if (answer.retry === false) {
      setState('stopped');
      say(text('stopped'));
      return;
    }
    ready();
    if (typeof answer.accepted === 'number' && !answer.message) say(text('take-saved', { saved: answer.accepted }));
    else say(text('try-again'));
    recordButton.focus();
  }
})();
