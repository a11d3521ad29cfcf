/*
 * The waiting pages' countdowns (push waiting page, phone code page), served from this server (CSP
 * script-src 'self'). Each `.countdown[data-until]` element holds the deadline the server rendered
 * (ms since the epoch), its text with `{time}` for the time left, and the text once it is over. The
 * server renders the text too, and refuses an early resend on its own: this only keeps the clock
 * running. A countdown naming a form (`data-enables`) keeps that form's button disabled until zero.
 * The texts are not announced every second (no aria-live): the button's state tells when it is ready.
 */
(function () {
  'use strict';
  var timers = document.querySelectorAll('.countdown[data-until]');
  if (timers.length === 0) return;

  function clock(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    var rest = seconds % 60;
    return Math.floor(seconds / 60) + ':' + (rest < 10 ? '0' : '') + rest;
  }

  function buttonOf(timer) {
    var id = timer.getAttribute('data-enables');
    var form = id ? document.getElementById(id) : null;
    return form ? form.querySelector('button') : null;
  }

  function tick() {
    var now = Date.now();
    var running = false;
    for (var i = 0; i < timers.length; i++) {
      var timer = timers[i];
      var until = Number(timer.getAttribute('data-until'));
      if (!isFinite(until)) continue;
      var left = until - now;
      var button = buttonOf(timer);
      if (left > 0) {
        running = true;
        timer.textContent = (timer.getAttribute('data-template') || '').replace('{time}', clock(left));
        if (button) button.disabled = true;
      } else {
        timer.textContent = timer.getAttribute('data-done') || '';
        timer.setAttribute('data-over', 'true');
        if (button) button.disabled = false;
      }
    }
    if (running) window.setTimeout(tick, 1000 - (now % 1000) + 5);
  }
  tick();
})();
