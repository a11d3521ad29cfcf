import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { en } from '../../src/i18n/messages/en.ts';

/*
 * The README's walkthrough names the pages' buttons, links and headings in *italics*, as a reader sees
 * them. Every such label must be a text the pages really show: a message of the English catalog (its
 * `{placeholders}` match any value), or a literal in the source of the admin console, the virtual
 * phone, the hosted pages or the demo site. A page that renames a button fails this test until the
 * README says the new words.
 */

const root = new URL('../../', import.meta.url).pathname;
const README = readFileSync(join(root, 'README.md'), 'utf8');

/** The README sections that walk the pages. */
const SECTIONS = ['Walkthrough: sign up and sign in with every factor', 'The virtual phone', 'The admin console'];

/** Italic phrases that name no label (a term being introduced, an emphasis). */
const NOT_LABELS = new Set(['the virtual phone', 'Demo Bank', 'keypad-code call']);

/** The text of a `## heading` section, up to the next heading of level 2. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `README has no section "## ${title}"`);
  const end = README.indexOf('\n## ', start + 4);
  return README.slice(start, end < 0 ? undefined : end);
}

/** `*label*` (single asterisks, over line breaks too: bold `**…**` is the walkthrough's step titles, not labels), code spans removed first. */
function italicLabels(markdown: string): string[] {
  const text = markdown.replace(/`[^`]*`/g, '').replace(/\*\*[^*]+\*\*/g, '');
  return [...text.matchAll(/\*([^*]+)\*/g)].map((m) => m[1]!.replace(/\s+/g, ' ').trim().replace(/[.:,]$/, '')).filter((label) => !NOT_LABELS.has(label));
}

function filesUnder(dir: string, into: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) filesUnder(path, into);
    else if (/\.(ts|js|html)$/.test(name) && !name.endsWith('.test.ts')) into.push(path);
  }
  return into;
}

const SOURCES = ['src/admin', 'src/virtual-phone', 'src/hosted', 'src/hosted-factors', 'demo/routes', 'demo/views', 'demo/static']
  .flatMap((dir) => filesUnder(join(root, dir)))
  .map((file) => readFileSync(file, 'utf8'))
  .join('\n');

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A catalog message as a pattern: its placeholders (and ICU plurals/selects) match any text. */
const MESSAGE_PATTERNS = Object.values(en).map((message) => {
  const parts = message.split(/\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}/);
  return new RegExp(`^${parts.map(escapeRegExp).join('.+')}$`);
});

const shown = (label: string): boolean => SOURCES.includes(label) || MESSAGE_PATTERNS.some((pattern) => pattern.test(label));

for (const title of SECTIONS) {
  it(`every label the README's "${title}" names is on the pages, word for word`, () => {
    const labels = italicLabels(section(title));
    assert.ok(labels.length > 0, 'the section names no label in *italics*');
    assert.deepEqual(labels.filter((label) => !shown(label)), []);
  });
}
