// Follows the sign-up call through Demo Bank's own endpoint (the server relays Verity's stream)
// and continues by itself once the phone is verified. Without JavaScript the buttons still work.
const box = document.getElementById('call-progress');
const complete = document.getElementById('complete-form');
const again = document.querySelector('#again-form button');
let finished = false;

async function poll() {
  if (finished) return;
  try {
    const response = await fetch(box.dataset.progressUrl, { headers: { accept: 'application/json' }, cache: 'no-store' });
    const state = await response.json();
    box.textContent = state.message;
    box.dataset.stage = state.stage;
    if (state.outcome === 'approved') {
      finished = true;
      complete.submit();
      return;
    }
    if (state.outcome === 'retry') {
      finished = true;
      box.classList.add('failed');
      again.classList.remove('secondary');
      again.focus();
      return;
    }
  } catch {
    box.textContent = 'Lost contact with Demo Bank; retrying…';
  }
  setTimeout(poll, 1000);
}

if (box && complete) void poll();
