// The recovery codes page (enroll-pages.ts): Copy (Clipboard API), Download (a .txt file made here,
// from a Blob) and Print (the print stylesheet shows only the codes). The buttons stay hidden
// without script; the codes are on the page either way. Texts come from the page's data-msg-*
// attributes, in its language: the script has none of its own.
(function () {
  'use strict';
  var actions = document.getElementById('code-actions');
  var list = document.getElementById('recovery-codes');
  var status = document.getElementById('codes-status');
  if (!actions || !list) return;
  function msg(name) {
    return actions.getAttribute('data-msg-' + name) || '';
  }
  function say(text) {
    if (status) status.textContent = text;
  }
  function codes() {
    var items = list.querySelectorAll('li');
    var out = [];
    for (var i = 0; i < items.length; i++) out.push(items[i].textContent.trim());
    return out;
  }
  function fileText() {
    var heading = actions.getAttribute('data-heading') || '';
    return (heading ? heading + '\n\n' : '') + codes().join('\n') + '\n';
  }
  var handlers = {
    copy: function () {
      if (!navigator.clipboard || !navigator.clipboard.writeText) return say(msg('copy-failed'));
      navigator.clipboard.writeText(codes().join('\n') + '\n').then(
        function () { say(msg('copied')); },
        function () { say(msg('copy-failed')); }
      );
    },
    download: function () {
      var url = URL.createObjectURL(new Blob([fileText()], { type: 'text/plain;charset=utf-8' }));
      var link = document.createElement('a');
      link.href = url;
      link.download = actions.getAttribute('data-file') || 'recovery-codes.txt';
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      say(msg('downloaded'));
    },
    print: function () {
      window.print();
    },
  };
  actions.addEventListener('click', function (event) {
    var button = event.target && event.target.closest ? event.target.closest('button[data-action]') : null;
    if (!button) return;
    var handler = handlers[button.getAttribute('data-action')];
    if (handler) handler();
  });
  actions.hidden = false;
})();
