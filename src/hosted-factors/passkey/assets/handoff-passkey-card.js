/*
 * The chooser's passkey card in one click (served from this server, CSP script-src 'self'): the
 * card's button asks the server for the options of a new passkey challenge (the chooser's form
 * token is not rotated by that), calls WebAuthn at once through SimpleWebAuthn's browser bundle, and
 * posts the assertion, or the browser's error name, to the passkey verify step. The server judges
 * everything. Whenever it cannot (no WebAuthn, no bundle, the server says fallback, the network
 * fails), the card's form is posted as it is without script: the passkey page takes over.
 */
(function () {
  'use strict';
  var form = document.getElementById('passkey-card');
  var status = document.getElementById('passkey-card-status');
  if (!form) return;
  var busy = false;

  function text(name) {
    return form.getAttribute('data-msg-' + name) || '';
  }
  function say(message) {
    if (status) status.textContent = message;
  }
  function sessionToken() {
    var field = form.elements.namedItem('session');
    return field ? field.value : '';
  }

  /** A POST of `fields` to `action` as a plain form navigation (the server answers 303). */
  function post(action, fields) {
    var out = document.createElement('form');
    out.method = 'post';
    out.action = action;
    out.hidden = true;
    Object.keys(fields).forEach(function (name) {
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = fields[name];
      out.appendChild(input);
    });
    document.body.appendChild(out);
    out.submit();
  }

  /** The card as without script: the passkey page, for this factor. */
  function fallback(factor) {
    post(form.getAttribute('action') || '/handoff/passkey', { session: sessionToken(), factor: factor });
  }

  form.addEventListener('submit', function (event) {
    var submitter = event.submitter;
    var factor = submitter && submitter.name === 'factor' ? submitter.value : '';
    var webauthn = window.SimpleWebAuthnBrowser;
    if (!factor || typeof window.PublicKeyCredential === 'undefined' || !webauthn || typeof fetch === 'undefined') return;
    event.preventDefault();
    if (busy) return;
    busy = true;
    var buttons = form.querySelectorAll('button');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
    say(text('starting'));
    var session = sessionToken();
    fetch(form.getAttribute('data-options') || '', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new window.URLSearchParams({ session: session, factor: factor }).toString(),
      credentials: 'same-origin',
      cache: 'no-store',
    })
      .then(function (response) {
        return response.json();
      })
      .then(
        function (answer) {
          if (!answer || !answer.options) return fallback(factor);
          return webauthn.startAuthentication({ optionsJSON: answer.options }).then(
            function (credential) {
              say(text('checking'));
              post(form.getAttribute('data-verify') || '', { session: session, factor: factor, response: JSON.stringify(credential), error: '' });
            },
            function (error) {
              var name = error && typeof error.name === 'string' && /^[A-Za-z]{1,40}$/.test(error.name) ? error.name : 'UnknownError';
              post(form.getAttribute('data-verify') || '', { session: session, factor: factor, response: '', error: name });
            },
          );
        },
        function () {
          fallback(factor);
        },
      );
  });
})();
