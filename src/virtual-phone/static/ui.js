/* global requestAnimationFrame */
// Small DOM helpers shared by the page's modules: icons from the page's sprite, and the polite announcer.

const SVG = 'http://www.w3.org/2000/svg';

/** A decorative icon: `<svg><use href="#i-NAME"></svg>` from the Lucide sprite in index.html. */
export function icon(name) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const use = document.createElementNS(SVG, 'use');
  use.setAttribute('href', `#i-${name}`);
  svg.append(use);
  return svg;
}

/**
 * Says `text` once through the page's polite live region (#announcer). The visible notifications are not
 * live regions themselves: a whole call or push card read out on arrival would be noise.
 */
export function announce(text) {
  const announcer = document.getElementById('announcer');
  if (!announcer) return;
  // Emptied first, so the same words said twice are announced twice.
  announcer.textContent = '';
  requestAnimationFrame(() => (announcer.textContent = text));
}

/** Shows the "no notifications" line only when the notification area has nothing in it. */
export function refreshQuiet() {
  const quiet = document.getElementById('quiet');
  if (!quiet) return;
  quiet.hidden = ['active-calls', 'push-challenges', 'banners'].some((id) => (document.getElementById(id)?.children.length ?? 0) > 0);
}
