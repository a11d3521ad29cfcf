import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { PAGE_LOCALES } from '../../i18n/locales.ts';
import { renderVoiceprintCall, stateOf, type VoiceprintCallView } from './voiceprint-call-pages.ts';

const SCRIPT = readFileSync(new URL('./assets/handoff-voiceprint-call.js', import.meta.url), 'utf8');

const view = (over: Partial<VoiceprintCallView> = {}): VoiceprintCallView => ({
  purpose: 'verify',
  appName: 'Acme <Shop>',
  session: 's.n',
  masked: '••••89',
  phrase: 'my voice is my password',
  factorSid: 'YF1',
  eventsPath: '/events/v1/Calls/CL1/tok',
  events: [],
  leave: '/l',
  ...over,
});

describe('voice call page', () => {
  it('renders every step and status text the script reads, in every page language, with the app name escaped', () => {
    for (const locale of PAGE_LOCALES) {
      for (const purpose of ['verify', 'enroll'] as const) {
        const page = renderVoiceprintCall(view({ purpose, locale }));
        const attributes = [...page.matchAll(/ data-msg-(step|status)-([\w-]+)="([^"]*)"/g)];
        assert.ok(attributes.length >= 30, `${locale} ${purpose}: the states' texts are on the page`);
        for (const [, kind, state, text] of attributes) assert.ok((text ?? '').trim() !== '', `${locale} ${purpose}: data-msg-${kind}-${state} is empty`);
        assert.doesNotMatch(page, /Acme <Shop>/, 'the application name is escaped');
      }
    }
  });

  it('shows the progress so far without script, one step per change, and the judged take rather than the next prompt', () => {
    const events = [
      { sequence: 1, event: 'queued', data: {} },
      { sequence: 2, event: 'ringing', data: {} },
      { sequence: 3, event: 'answered', data: {} },
      { sequence: 4, event: 'prompt_played', data: { prompts: 1 } },
      { sequence: 5, event: 'recording', data: { take: 1 } },
      { sequence: 6, event: 'scored', data: { decision: 'kept', accepted: 1, needed: 3 } },
      { sequence: 7, event: 'prompt_played', data: { prompts: 1 } },
    ];
    const page = renderVoiceprintCall(view({ purpose: 'enroll', events }));
    assert.match(page, /<ol class="call-steps" id="voicecall-steps" aria-label="Call progress"><li>Calling<\/li><li>Ringing<\/li><li>Answered<\/li><li>Asked for your phrase<\/li><li>Recording received<\/li><li>Take saved<\/li><\/ol>/);
    assert.match(page, /role="status" aria-live="polite">Take saved\. Say the phrase again when asked\.<\/p>/);
    assert.match(page, /data-seq="7" data-state="kept"/);
  });

  it('an ended call has no stream to follow (the script stays idle), says how it ended, and offers the ways on', () => {
    const page = renderVoiceprintCall(view({ eventsPath: undefined, events: [{ sequence: 1, event: 'queued', data: {} }, { sequence: 2, event: 'rejected', data: {} }], message: 'The call was declined.' }));
    assert.match(page, /data-events=""/);
    assert.match(page, /We called <span class="phone">••••89<\/span>\./);
    assert.match(page, /action="\/handoff\/voiceprint\/call"/);
    assert.match(page, /action="\/handoff\/voiceprint"/);
    assert.doesNotMatch(page, /voicecall-continue/);
  });

  it('maps events to states as the script does', () => {
    assert.equal(stateOf('scored', { decision: 'no_match' }, true), 'no-match');
    assert.equal(stateOf('scored', { decision: 'rejected' }, true), 'unclear');
    assert.equal(stateOf('failed', {}, false), 'call-failed');
    assert.equal(stateOf('failed', { reason: 'too_many_recordings' }, true), 'gave-up');
    assert.equal(stateOf('rejected', {}, false), 'declined');
    assert.equal(stateOf('digits_received', {}, true), null);
    // The script mirrors these cases.
    for (const needle of ["return 'prompt'", "'no-match'", "'unclear'", "return 'declined'", "'gave-up' : 'call-failed'"]) assert.ok(SCRIPT.includes(needle), `the script maps ${needle}`);
  });

  it('digits mode shows the prompt digits, or that the call reads them out', () => {
    assert.match(renderVoiceprintCall(view({ digits: '4 7 1 9' })), /Say these digits when the call asks:<\/p>\n<p class="phrase" id="voicecall-phrase" aria-describedby="voicecall-phrase-label">4 7 1 9<\/p>/);
    assert.match(renderVoiceprintCall(view({ purpose: 'enroll', digits: 'on_call' })), /Say the digits the call reads out to you, after each beep\./);
  });
});
