/*
 * The passkey pages' script (sign-in and enrollment), served from this server (CSP script-src 'self').
 * It reads the WebAuthn options the server put in the form's data-options, asks the browser for the
 * credential through SimpleWebAuthn's browser bundle (window.SimpleWebAuthnBrowser, loaded before
 * this file), and posts the credential's JSON, or the name of the browser's error, back in the same
 * form. The server judges everything: this script only carries the ceremony.
 */
(function () {
  'use strict';
  var form = document.getElementById('passkey-form');
  var button = document.getElementById('passkey-start');
  var status = document.getElementById('passkey-status');
  if (!form || !button) return;
  var register = form.getAttribute('data-ceremony') === 'register';

  // The page's language: the server renders each text as a data-msg-* attribute (passkey-pages.ts);
  // the script has no texts of its own.
  function text(name) {
    return form.getAttribute('data-msg-' + name) || '';
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  // Report a failure to the server, which answers the page again with its message.
  function fail(name) {
    form.elements.namedItem('error').value = name;
    form.submit();
  }

  if (typeof window.PublicKeyCredential === 'undefined') {
    say(text('unsupported'));
    return;
  }
  var options;
  try {
    options = JSON.parse(form.getAttribute('data-options') || '');
  } catch {
    say(text('damaged'));
    return;
  }
  button.hidden = false;

  var busy = false;

  // Conditional UI (usernameless page only): where the browser can list passkeys in autofill, the
  // field is shown and a passkey picked there signs in; the button's modal prompt aborts it.
  var autofill = document.getElementById('passkey-autofill');
  if (!register && autofill && form.getAttribute('data-conditional') === 'true' && typeof window.PublicKeyCredential.isConditionalMediationAvailable === 'function') {
    window.PublicKeyCredential.isConditionalMediationAvailable().then(
      function (available) {
        var webauthn = window.SimpleWebAuthnBrowser;
        if (!available || !webauthn || busy) return;
        autofill.hidden = false;
        webauthn.startAuthentication({ optionsJSON: options, useBrowserAutofill: true }).then(
          function (credential) {
            if (busy) return;
            busy = true;
            button.disabled = true;
            say(text('checking'));
            form.elements.namedItem('response').value = JSON.stringify(credential);
            form.submit();
          },
          function () {
            // Aborted by the button's modal prompt, or dismissed: the button is still there.
          },
        );
      },
      function () {},
    );
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (busy) return;
    var webauthn = window.SimpleWebAuthnBrowser;
    if (!webauthn) {
      say(text('not-loaded'));
      return;
    }
    busy = true;
    button.disabled = true;
    say(register ? text('prompt-create') : text('prompt-use'));
    var ceremony = register ? webauthn.startRegistration({ optionsJSON: options }) : webauthn.startAuthentication({ optionsJSON: options });
    ceremony.then(
      function (credential) {
        say(text('checking'));
        form.elements.namedItem('response').value = JSON.stringify(credential);
        form.submit();
      },
      function (error) {
        say(text('unfinished'));
        fail(error && typeof error.name === 'string' && /^[A-Za-z]{1,40}$/.test(error.name) ? error.name : 'UnknownError');
      },
    );
  });
})();
