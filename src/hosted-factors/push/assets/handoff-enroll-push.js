// The push device set-up page (enroll-pages.ts): asks the server every 2 s whether a device used the
// token, and posts the page's own "check" form once it is added or the token expired. The server
// decides; without script the page's button does the same. Its status lines come translated in the
// form's data-msg-* attributes (the page's language); the script has no texts of its own.
(function () {
  'use strict';
  var form = document.getElementById('push-enroll-check');
  var status = document.getElementById('push-enroll-status');
  if (!form || typeof fetch === 'undefined') return;
  var path = form.getAttribute('data-status');
  if (!path || path.charAt(0) !== '/') return;
  var field = form.querySelector('input[name="session"]');
  if (!field) return;
  function text(name) {
    return form.getAttribute('data-msg-' + name) || '';
  }
  var msg = { waiting: text('waiting'), added: text('added'), expired: text('expired'), unconfirmed: text('unconfirmed'), failed: text('failed') };
  var body = 'session=' + encodeURIComponent(field.value);
  var stopped = false;
  function poll() {
    if (stopped) return;
    fetch(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (answer) {
        if (answer.state === 'added' || answer.state === 'expired') {
          stopped = true;
          if (status) status.textContent = answer.state === 'added' ? msg.added : msg.expired;
          form.submit();
          return;
        }
        if (status) status.textContent = answer.state === 'unconfirmed' ? msg.unconfirmed : msg.waiting;
        setTimeout(poll, 2000);
      })
      .catch(function () {
        // The session expired or the network failed: the button still works.
        stopped = true;
        if (status) status.textContent = msg.failed;
      });
  }
  setTimeout(poll, 2000);
})();

// "Copy code" beside the short enrolment code (the hub's push page): shown only with script and a clipboard.
(function () {
  'use strict';
  var button = document.querySelector('button[data-copy]');
  if (!button || !navigator.clipboard || !navigator.clipboard.writeText) return;
  var source = document.getElementById(button.getAttribute('data-copy'));
  var row = button.parentElement;
  var status = row ? row.querySelector('.copy-status') : null;
  if (!source || !row) return;
  button.addEventListener('click', function () {
    navigator.clipboard.writeText(source.textContent.trim()).then(
      function () { if (status) status.textContent = button.getAttribute('data-msg-copied') || ''; },
      function () { if (status) status.textContent = button.getAttribute('data-msg-copy-failed') || ''; }
    );
  });
  row.hidden = false;
})();
