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

  // The page renders its messages in its language as data-msg-* attributes (call-pages.ts); the
  // English here is the fallback.
  function msg(name, fallback) {
    var text = region.dataset ? region.dataset[name] : undefined;
    return text ? text : fallback;
  }
  var AGAIN = mode === 'approve' ? '' : ' ' + msg('msgStatusAgain', 'Call again, or try another way.');
  // Each event: a short step label, and what the status line says. `end`: 'ok' (the call did its
  // job), 'failed' (it did not), or absent while the call goes on.
  function describe(event) {
    switch (event) {
      case 'queued':
        return { step: msg('msgStepCalling', 'Calling'), text: msg('msgStatusCalling', 'Calling your phone…') };
      case 'ringing':
        if (mode === 'flash') return { step: msg('msgStepRinging', 'Ringing'), text: msg('msgStatusRingingFlash', 'Your phone is ringing: look at the number calling you. You need not answer.') };
        return { step: msg('msgStepRinging', 'Ringing'), text: msg('msgStatusRinging', 'Your phone is ringing. Answer it.') };
      case 'answered':
        if (mode === 'code') return { step: msg('msgStepAnswered', 'Answered'), text: msg('msgStatusAnsweredCode', 'Call answered. Listen for your code.') };
        if (mode === 'approve') return { step: msg('msgStepAnswered', 'Answered'), text: msg('msgStatusAnsweredApprove', 'Call answered. When asked, key in the number shown here.') };
        return { step: msg('msgStepAnswered', 'Answered'), text: msg('msgStatusAnsweredFlash', 'Call answered: the number that called you is the one to enter.') };
      case 'prompt_played':
        if (mode === 'code') {
          codeSpoken = true;
          return { step: msg('msgStepCodeRead', 'Code read out'), text: msg('msgStatusCodeRead', 'We read your code out. Enter it below.') };
        }
        if (mode === 'approve') return { step: msg('msgStepAsked', 'Asked for the number'), text: msg('msgStatusAsked', 'Waiting for you to key in the number on the call…') };
        return null;
      case 'digits_received':
        return mode === 'approve' ? { step: msg('msgStepKeysReceived', 'Keys received'), text: msg('msgStatusKeysReceived', 'Keys received. Checking…') } : { step: msg('msgStepKeyPressed', 'Key pressed'), text: msg('msgStatusRepeating', 'Reading the code again…') };
      case 'approved':
        return mode === 'approve' ? { step: msg('msgStepApproved', 'Approved'), text: msg('msgStatusApproved', 'Approved on the call. Signing you in…'), end: 'ok' } : null;
      case 'denied':
        return mode === 'approve' ? { step: msg('msgStepDenied', 'Denied'), text: msg('msgStatusDenied', 'Denied on the call.'), end: 'failed' } : null;
      case 'expired':
        return { step: msg('msgStepExpired', 'Expired'), text: msg('msgStatusExpired', 'This request expired.') + AGAIN, end: 'failed' };
      case 'max_attempts_reached':
        return { step: msg('msgStepTooMany', 'Too many attempts'), text: msg('msgStatusTooMany', 'Too many wrong attempts.'), end: 'failed' };
      case 'completed':
        if (mode === 'code') return codeSpoken ? { step: msg('msgStepEnded', 'Call ended'), text: msg('msgStatusEndedCode', 'Call ended. Enter the code you heard.'), end: 'ok' } : { step: msg('msgStepEnded', 'Call ended'), text: msg('msgStatusEndedEarly', 'The call ended before we read your code.') + AGAIN, end: 'failed' };
        if (mode === 'flash') return { step: msg('msgStepEnded', 'Call ended'), text: msg('msgStatusEndedFlash', 'Call ended. Enter the last digits of the number that called you.'), end: 'ok' };
        return { step: msg('msgStepEnded', 'Call ended'), text: msg('msgStatusEnded', 'The call ended.'), end: 'failed' };
      case 'no-answer':
        if (mode === 'flash') return { step: msg('msgStepMissed', 'Missed call'), text: msg('msgStatusMissed', 'Missed call received. Enter the last digits of its number.'), end: 'ok' };
        return { step: msg('msgStepNoAnswer', 'No answer'), text: msg('msgStatusNoAnswer', 'No answer.') + AGAIN, end: 'failed' };
      case 'busy':
        return { step: msg('msgStepBusy', 'Busy'), text: msg('msgStatusBusy', 'Your line was busy.') + AGAIN, end: 'failed' };
      case 'rejected':
        return { step: msg('msgStepDeclined', 'Declined'), text: msg('msgStatusDeclined', 'The call was declined.') + AGAIN, end: 'failed' };
      case 'failed':
        return { step: msg('msgStepFailed', 'Failed'), text: msg('msgStatusFailed', 'The call failed.') + AGAIN, end: 'failed' };
      case 'canceled':
        return { step: msg('msgStepCanceled', 'Canceled'), text: msg('msgStatusCanceled', 'The call was canceled.') + AGAIN, end: 'failed' };
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
