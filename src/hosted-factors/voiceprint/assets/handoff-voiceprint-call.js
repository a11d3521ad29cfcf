// The voice call page of the hosted hand-off (voiceprint-call-pages.ts): follows the call's progress
// stream (same origin, CSP connect-src 'self') and shows each step in the page's status region. When
// the call has an outcome (approved) or ends, it posts the page's continue form: the server reads the
// challenge's or factor's status itself, so nothing here is trusted. The page works without it.
(function () {
  'use strict';
  var region = document.getElementById('voicecall-progress');
  if (!region || typeof EventSource === 'undefined') return;
  var path = region.getAttribute('data-events');
  // An ended call has no stream: the page already says how it ended.
  if (!path || path.charAt(0) !== '/' || path.charAt(1) === '/') return;
  // Events the server already rendered into the page (a reloaded page, or one shown after "Refresh").
  var shownUpTo = Number(region.getAttribute('data-seq')) || 0;
  var status = document.getElementById('voicecall-status');
  var steps = document.getElementById('voicecall-steps');
  var form = document.getElementById('voicecall-continue');
  var retry = document.getElementById('call-retry');
  var answered = false;
  var finished = false;
  var lastState = region.getAttribute('data-state') || '';
  var JUDGED = { match: true, 'no-match': true, unclear: true, kept: true, refused: true };
  var lastStep = steps && steps.lastElementChild ? steps.lastElementChild.textContent : '';

  // The page renders every text in its language as data-msg-step-<state> / data-msg-status-<state>.
  function msg(kind, state) {
    return region.getAttribute('data-msg-' + kind + '-' + state) || '';
  }

  // Mirrors stateOf in voiceprint-call-pages.ts.
  function stateOf(event, data) {
    switch (event) {
      case 'prompt_played':
        return 'prompt';
      case 'scored':
        if (data.decision === 'match' || data.decision === 'kept' || data.decision === 'refused') return data.decision;
        return data.decision === 'no_match' ? 'no-match' : 'unclear';
      case 'rejected':
        return 'declined';
      case 'failed':
        return answered ? 'gave-up' : 'call-failed';
      default:
        return msg('step', event) ? event : null;
    }
  }

  // What ends the page's part: the outcome that finishes the sign-in or set-up, or the end of the call.
  var ENDS = { approved: 'ok', completed: 'end', 'no-answer': 'end', busy: 'end', rejected: 'end', canceled: 'end' };

  var source = new EventSource(path);

  function show(event, message) {
    if (finished) return;
    var data;
    try {
      data = JSON.parse(message.data);
    } catch {
      return;
    }
    if (event === 'answered') answered = true;
    // A reconnecting EventSource sends Last-Event-ID itself; a new page skips what it already shows.
    if (typeof data.sequence === 'number' && data.sequence <= shownUpTo) return;
    if (typeof data.sequence === 'number') shownUpTo = data.sequence;
    var state = stateOf(event, data.data || {});
    // "Say it again" after a take was judged: the judgement already says so (as the page does).
    if (state === 'prompt' && JUDGED[lastState]) state = null;
    if (state) {
      lastState = state;
      var step = msg('step', state);
      if (step && step !== lastStep && steps) {
        var item = document.createElement('li');
        item.textContent = step;
        steps.appendChild(item);
        lastStep = step;
      }
      var text = msg('status', state);
      if (text && status) status.textContent = text;
      region.setAttribute('data-state', state);
    }
    // A call that failed before it was answered (the provider could not place it) ends here too.
    var end = ENDS[event] || (event === 'failed' && !answered ? 'end' : undefined);
    if (!end) return;
    finished = true;
    source.close();
    region.setAttribute('data-outcome', end === 'ok' ? 'ok' : 'failed');
    if (end !== 'ok' && retry) retry.classList.add('attention');
    // The server decides; the form only asks it to look now.
    if (form) form.submit();
  }

  ['queued', 'ringing', 'answered', 'prompt_played', 'recording', 'scored', 'approved', 'denied', 'failed', 'completed', 'no-answer', 'busy', 'rejected', 'canceled'].forEach(function (name) {
    source.addEventListener(name, function (message) {
      show(name, message);
    });
  });
})();
