// Follows the push approval through Demo Bank's endpoint (the server reads the challenge at Verity)
// and sends the form once it is answered; the server decides whether the transfer is executed.
const box = document.getElementById('transfer-progress');
const complete = document.getElementById('complete-form');

async function poll() {
  try {
    const response = await fetch(box.dataset.statusUrl, { headers: { accept: 'application/json' }, cache: 'no-store' });
    const { status } = await response.json();
    box.dataset.status = status;
    if (status !== 'pending') {
      box.textContent = status === 'approved' ? 'Approved on your phone. Sending…' : 'Answered on your phone…';
      complete.submit();
      return;
    }
  } catch {
    box.textContent = 'Lost contact with Demo Bank; retrying…';
  }
  setTimeout(poll, 1000);
}

if (box && complete) void poll();
