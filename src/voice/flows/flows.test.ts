import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SUPPORTED_LOCALES, type Locale } from '../../i18n/locales.ts';
import type { CallInstruction, Gather } from '../call-script.ts';
import { CODE_ENTRY_SECONDS, INITIAL_STATE, KEYPAD_WINDOW_SECONDS, type FlowFacts, type FlowTurn } from './call-flow.ts';
import { CALL_FLOWS } from './flows.ts';

/** How each language names the keys a prompt could ask to finish with. */
const TERMINATOR_WORDS: Record<Locale, RegExp> = {
  en: /pound|hash|#/i,
  es: /almohadilla|numeral|#/i,
  fr: /dièse|carré|#/i,
  de: /raute|#/i,
  pt: /cerquilha|jogo da velha|sustenido|#/i,
  it: /cancelletto|#/i,
  nl: /hekje|#/i,
  'en-GB': /pound|hash|#/i,
  'pt-BR': /cerquilha|jogo da velha|sustenido|#/i,
  af: /hutsmerk|#/i, ar: /المربع|#/, ca: /coixinet|#/i, zh: /井号|#/, 'zh-CN': /井号|#/, 'zh-HK': /井號|井字|#/, hr: /ljestve|#/i, cs: /mřížk|#/i,
  da: /firkant|havelåge|#/i, et: /trell|#/i, fi: /risuaita|#/i, el: /δίεση|#/i, he: /סולמית|#/, hi: /हैश|#/, hu: /kettőskereszt|#/i, id: /pagar|#/i,
  ja: /シャープ|井桁|#/, kn: /ಹ್ಯಾಶ್|#/, ko: /우물 정|샵|#/, lt: /grotel|#/i, ms: /pagar|#/i, mr: /हॅश|#/, nb: /firkant|#/i, pl: /krzyżyk|#/i,
  ro: /diez|#/i, ru: /решётк|решетк|#/i, sk: /mriežk|#/i, sv: /fyrkant|#/i, tl: /hash|pound|#/i, te: /హ్యాష్|#/, th: /สี่เหลี่ยม|ชาร์ป|#/,
  tr: /kare tuş|diyez|#/i, uk: /решітк|#/i, vi: /thăng|#/i,
};

const facts = (flow: string, locale: Locale): FlowFacts => ({
  serviceName: 'Acme',
  locale,
  secret: flow === 'press_one_number' ? '42' : '482017',
  amount: null,
  payee: null,
});

/** Every turn a flow can reach from its start with these key presses (one per gather). */
function turns(flow: keyof typeof CALL_FLOWS, f: FlowFacts): FlowTurn[] {
  const all: FlowTurn[] = [];
  const first = CALL_FLOWS[flow].start(f);
  all.push(first);
  for (const input of ['', '1', '9', '*', f.secret, '000000']) {
    let turn = first;
    for (let i = 0; i < 4 && turn.instruction.then.kind === 'gather'; i++) {
      turn = CALL_FLOWS[flow].digits(f, turn.state, input);
      all.push(turn);
    }
  }
  return all;
}

const gathers = (all: FlowTurn[]): Array<{ instruction: CallInstruction; gather: Gather }> =>
  all.flatMap((t) => (t.instruction.then.kind === 'gather' ? [{ instruction: t.instruction, gather: t.instruction.then }] : []));

for (const locale of SUPPORTED_LOCALES) {
  for (const flow of Object.keys(CALL_FLOWS) as Array<keyof typeof CALL_FLOWS>) {
    test(`${flow} (${locale}): every key window opens after the last prompt and lasts ≥ ${KEYPAD_WINDOW_SECONDS} s; no prompt asks for a key the call does not wait for`, () => {
      const f = facts(flow, locale);
      for (const { instruction, gather } of gathers(turns(flow, f))) {
        assert.ok(gather.timeoutSeconds >= KEYPAD_WINDOW_SECONDS, `${gather.timeoutSeconds} s to press a key`);
        // The question is the gather's own prompt: the window is counted from its end.
        assert.ok(gather.prompt.some((p) => p.kind === 'say'), 'the gather speaks its question itself');
        // Input ends on the last digit; so no prompt may ask for a finishing key.
        assert.equal(gather.finishOnKey, null);
        for (const prompt of [...instruction.prompts, ...gather.prompt]) {
          if (prompt.kind === 'say') assert.doesNotMatch(prompt.text, TERMINATOR_WORDS[locale], `"${prompt.text}" asks for a key the call does not wait for`);
        }
      }
    });
  }

  test(`keypad_code (${locale}): the code is accepted on its last digit, with nothing pressed after it`, () => {
    const f = facts('keypad_code', locale);
    const start = CALL_FLOWS.keypad_code.start(f);
    assert.equal(start.instruction.then.kind, 'gather');
    const gather = start.instruction.then as Gather;
    assert.equal(gather.maxDigits, f.secret.length);
    assert.equal(gather.timeoutSeconds, CODE_ENTRY_SECONDS);
    const done = CALL_FLOWS.keypad_code.digits(f, start.state, f.secret);
    assert.equal(done.outcome, 'approved');
  });

  test(`speak_code (${locale}): "press 1" is the last thing said before the window, and 1 reads the code again`, () => {
    const f = facts('speak_code', locale);
    const start = CALL_FLOWS.speak_code.start(f);
    const gather = start.instruction.then as Gather;
    assert.equal(gather.kind, 'gather');
    assert.match((gather.prompt.at(-1) as { text: string }).text, /1/);
    const again = CALL_FLOWS.speak_code.digits(f, INITIAL_STATE, '1');
    assert.equal(again.note, 'repeat');
    assert.equal(again.instruction.then.kind, 'gather');
  });
}
