// The call pages of the hosted hand-off (call-pages.ts): follows the verification's progress stream
// (same origin, CSP connect-src 'self') and shows each step of the call in the page's status region.
// On "Approve with a call" it posts the page's continue form once the call has an outcome: the server
// reads the verification's status itself, so nothing here is trusted. Every page works without it.
(function () {
  'use strict';
  var region = document.getElementById('call-progress');
  if (!region || typeof EventSource === 'undefined') return;
  var path = region.getAttribute('data-events');
  if (!path || path.charAt(0) !== '/' || path.charAt(1) === '/') return;
  var mode = region.getAttribute('data-mode');
  var callSid = region.getAttribute('data-call') || '';
  var status = document.getElementById('call-status');
  var steps = document.getElementById('call-steps');
  var form = document.getElementById('call-continue');
  var retry = document.getElementById('call-retry');
  var codeSpoken = false;
  var finished = false;

  var AGAIN = mode === 'approve' ? '' : ' Call again, or try another way.';
  // Each event: a short step label, and what the status line says. `end`: 'ok' (the call did its
  // job), 'failed' (it did not), or absent while the call goes on.
  function describe(event) {
    switch (event) {
      case 'queued':
        return { step: 'Calling', text: 'Calling your phone…' };
      case 'ringing':
        if (mode === 'flash') return { step: 'Ringing', text: 'Your phone is ringing: look at the number calling you. You need not answer.' };
        return { step: 'Ringing', text: 'Your phone is ringing. Answer it.' };
      case 'answered':
        if (mode === 'code') return { step: 'Answered', text: 'Call answered. Listen for your code.' };
        if (mode === 'approve') return { step: 'Answered', text: 'Call answered. When asked, key in the number shown here.' };
        return { step: 'Answered', text: 'Call answered: the number that called you is the one to enter.' };
      case 'prompt_played':
        if (mode === 'code') {
          codeSpoken = true;
          return { step: 'Code read out', text: 'We read your code out. Enter it below.' };
        }
        if (mode === 'approve') return { step: 'Asked for the number', text: 'Waiting for you to key in the number on the call…' };
        return null;
      case 'digits_received':
        return mode === 'approve' ? { step: 'Keys received', text: 'Keys received. Checking…' } : { step: 'Key pressed', text: 'Reading the code again…' };
      case 'approved':
        return mode === 'approve' ? { step: 'Approved', text: 'Approved on the call. Signing you in…', end: 'ok' } : null;
      case 'denied':
        return mode === 'approve' ? { step: 'Denied', text: 'Denied on the call.', end: 'failed' } : null;
      case 'expired':
        return { step: 'Expired', text: 'This request expired.' + AGAIN, end: 'failed' };
      case 'max_attempts_reached':
        return { step: 'Too many attempts', text: 'Too many wrong attempts.', end: 'failed' };
      case 'completed':
        if (mode === 'code') return codeSpoken ? { step: 'Call ended', text: 'Call ended. Enter the code you heard.', end: 'ok' } : { step: 'Call ended', text: 'The call ended before we read your code.' + AGAIN, end: 'failed' };
        if (mode === 'flash') return { step: 'Call ended', text: 'Call ended. Enter the last digits of the number that called you.', end: 'ok' };
        return { step: 'Call ended', text: 'The call ended.', end: 'failed' };
      case 'no-answer':
        if (mode === 'flash') return { step: 'Missed call', text: 'Missed call received. Enter the last digits of its number.', end: 'ok' };
        return { step: 'No answer', text: 'No answer.' + AGAIN, end: 'failed' };
      case 'busy':
        return { step: 'Busy', text: 'Your line was busy.' + AGAIN, end: 'failed' };
      case 'rejected':
        return { step: 'Declined', text: 'The call was declined.' + AGAIN, end: 'failed' };
      case 'failed':
        return { step: 'Failed', text: 'The call failed.' + AGAIN, end: 'failed' };
      case 'canceled':
        return { step: 'Canceled', text: 'The call was canceled.' + AGAIN, end: 'failed' };
      default:
        return null;
    }
  }

  var source = new EventSource(path);
  var lastStep = '';

  function show(event, message) {
    if (finished) return;
    var data;
    try {
      data = JSON.parse(message.data);
    } catch {
      return;
    }
    // Events of an earlier call of the same verification ("Call again") are not this page's.
    if (data.call_sid && callSid && data.call_sid !== callSid) return;
    var seen = describe(event);
    if (!seen) return;
    if (seen.step !== lastStep && steps) {
      var item = document.createElement('li');
      item.textContent = seen.step;
      steps.appendChild(item);
      lastStep = seen.step;
    }
    if (status) status.textContent = seen.text;
    region.setAttribute('data-state', event);
    if (!seen.end) return;
    finished = true;
    source.close();
    region.setAttribute('data-outcome', seen.end);
    if (seen.end === 'failed' && retry) retry.classList.add('attention');
    // The server decides; the form only asks it to look now.
    if (mode === 'approve' && form) form.submit();
  }

  ['queued', 'ringing', 'answered', 'prompt_played', 'digits_received', 'approved', 'denied', 'expired', 'max_attempts_reached', 'completed', 'no-answer', 'busy', 'rejected', 'failed', 'canceled'].forEach(function (name) {
    source.addEventListener(name, function (message) {
      show(name, message);
    });
  });
})();
