/**
 * The one script of the hosted pages, served at HANDOFF_PUSH_JS_PATH on the push waiting page only
 * (CSP `script-src 'self'`): it follows the challenge's progress stream (same origin) and, once the
 * challenge has an outcome, posts the page's own "continue" form. The server checks the challenge's
 * status itself; without script the page's button does the same. Its status texts come translated in
 * the form's data-msg-* attributes (handoff-pages.ts); the script has no texts of its own.
 */
export const HANDOFF_PUSH_JS = `(function () {
  'use strict';
  var form = document.getElementById('push-continue');
  if (!form || typeof EventSource === 'undefined') return;
  var path = form.getAttribute('data-events');
  if (!path || path.charAt(0) !== '/') return;
  var status = document.getElementById('push-status');
  var done = false;
  function msg(name) { return form.getAttribute('data-msg-' + name) || ''; }
  var source = new EventSource(path);
  function finish(text) {
    if (done) return;
    done = true;
    source.close();
    if (status) status.textContent = text;
    form.submit();
  }
  source.addEventListener('approved', function () { finish(msg('approved')); });
  source.addEventListener('denied', function () { finish(msg('denied')); });
  source.addEventListener('expired', function () { finish(msg('expired')); });
})();
`;
