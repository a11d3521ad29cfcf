// The phone's apps as tabs (WAI-ARIA tabs pattern, automatic activation): click, or arrow keys,
// Home and End on the tab list. The chosen app is remembered in this browser.

const TAB_KEY = 'verity.virtual-phone.tab';

/** Wires the tab list; returns `select(panelId, { focus })`, used when a notification opens an app. */
export function startTabs(tablist) {
  const tabs = () => [...tablist.querySelectorAll('[role="tab"]')].filter((tab) => !tab.hidden);

  const select = (panelId, { focus = false } = {}) => {
    const all = [...tablist.querySelectorAll('[role="tab"]')];
    const chosen = all.find((tab) => tab.getAttribute('aria-controls') === panelId && !tab.hidden) ?? tabs()[0];
    for (const tab of all) {
      const selected = tab === chosen;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      document.getElementById(tab.getAttribute('aria-controls')).hidden = !selected;
    }
    localStorage.setItem(TAB_KEY, chosen.getAttribute('aria-controls'));
    if (focus) chosen.focus();
  };

  tablist.addEventListener('click', (event) => {
    const tab = event.target.closest('[role="tab"]');
    if (tab) select(tab.getAttribute('aria-controls'));
  });
  tablist.addEventListener('keydown', (event) => {
    const list = tabs();
    const index = list.indexOf(document.activeElement);
    if (index < 0) return;
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: list.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    select(list[(next + list.length) % list.length].getAttribute('aria-controls'), { focus: true });
  });

  select(localStorage.getItem(TAB_KEY) ?? 'inbox');
  return select;
}
