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
  // script has no texts of its own.
  function msg(name) {
    var text = region.dataset ? region.dataset[name] : undefined;
    return text || '';
  }
  var AGAIN = mode === 'approve' ? '' : ' ' + msg('msgStatusAgain');
  // Each event: a short step label, and what the status line says. `end`: 'ok' (the call did its
  // job), 'failed' (it did not), or absent while the call goes on.
  function describe(event) {
    switch (event) {
      case 'queued':
        return { step: msg('msgStepCalling'), text: msg('msgStatusCalling') };
      case 'ringing':
        if (mode === 'flash') return { step: msg('msgStepRinging'), text: msg('msgStatusRingingFlash') };
        return { step: msg('msgStepRinging'), text: msg('msgStatusRinging') };
      case 'answered':
        if (mode === 'code') return { step: msg('msgStepAnswered'), text: msg('msgStatusAnsweredCode') };
        if (mode === 'approve') return { step: msg('msgStepAnswered'), text: msg('msgStatusAnsweredApprove') };
        return { step: msg('msgStepAnswered'), text: msg('msgStatusAnsweredFlash') };
      case 'prompt_played':
        if (mode === 'code') {
          codeSpoken = true;
          return { step: msg('msgStepCodeRead'), text: msg('msgStatusCodeRead') };
        }
        if (mode === 'approve') return { step: msg('msgStepAsked'), text: msg('msgStatusAsked') };
        return null;
      case 'digits_received':
        return mode === 'approve' ? { step: msg('msgStepKeysReceived'), text: msg('msgStatusKeysReceived') } : { step: msg('msgStepKeyPressed'), text: msg('msgStatusRepeating') };
      case 'approved':
        return mode === 'approve' ? { step: msg('msgStepApproved'), text: msg('msgStatusApproved'), end: 'ok' } : null;
      case 'denied':
        return mode === 'approve' ? { step: msg('msgStepDenied'), text: msg('msgStatusDenied'), end: 'failed' } : null;
      case 'expired':
        return { step: msg('msgStepExpired'), text: msg('msgStatusExpired') + AGAIN, end: 'failed' };
      case 'max_attempts_reached':
        return { step: msg('msgStepTooMany'), text: msg('msgStatusTooMany'), end: 'failed' };
      case 'completed':
        if (mode === 'code') return codeSpoken ? { step: msg('msgStepEnded'), text: msg('msgStatusEndedCode'), end: 'ok' } : { step: msg('msgStepEnded'), text: msg('msgStatusEndedEarly') + AGAIN, end: 'failed' };
        if (mode === 'flash') return { step: msg('msgStepEnded'), text: msg('msgStatusEndedFlash'), end: 'ok' };
        return { step: msg('msgStepEnded'), text: msg('msgStatusEnded'), end: 'failed' };
      case 'no-answer':
        if (mode === 'flash') return { step: msg('msgStepMissed'), text: msg('msgStatusMissed'), end: 'ok' };
        return { step: msg('msgStepNoAnswer'), text: msg('msgStatusNoAnswer') + AGAIN, end: 'failed' };
      case 'busy':
        return { step: msg('msgStepBusy'), text: msg('msgStatusBusy') + AGAIN, end: 'failed' };
      case 'rejected':
        return { step: msg('msgStepDeclined'), text: msg('msgStatusDeclined') + AGAIN, end: 'failed' };
      case 'failed':
        return { step: msg('msgStepFailed'), text: msg('msgStatusFailed') + AGAIN, end: 'failed' };
      case 'canceled':
        return { step: msg('msgStepCanceled'), text: msg('msgStatusCanceled') + AGAIN, end: 'failed' };
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
