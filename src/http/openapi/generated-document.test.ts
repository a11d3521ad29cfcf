import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { DOCUMENT_PATH } from '../../../scripts/openapi/generate-openapi.ts';

// The committed document (test/docs/openapi-in-sync.test.ts keeps it equal to what the generator writes).
type Json = Record<string, unknown>;
const document = JSON.parse(readFileSync(DOCUMENT_PATH, 'utf8')) as Json & { paths: Record<string, Record<string, Json>>; webhooks: Record<string, Json>; components: { schemas: Record<string, Json> }; info: Json };

it('spells path parameters as Twilio\'s own OpenAPI description does ({ServiceSid}, {Sid}), in the path and in its parameters', () => {
  for (const [path, item] of Object.entries(document.paths)) {
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');
    // The simulated carrier's routes (Verity's own, development only) keep their lower-case names.
    if (!path.startsWith('/sim/')) for (const name of names) assert.match(name, /^[A-Z]/, `${path}: {${name}} starts with a capital`);
    for (const [method, operation] of Object.entries(item)) {
      const inPath = ((operation.parameters ?? []) as Json[]).filter((p) => p.in === 'path').map((p) => String(p.name));
      assert.deepEqual([...inPath].sort(), [...names].sort(), `${method} ${path}: its path parameters are the path's`);
    }
  }
  // twilio-oai's twilio_verify_v2.json: the resource a path ends at is {Sid}, a parent {<Resource>Sid}.
  for (const path of ['/v2/Services/{Sid}', '/v2/Services/{ServiceSid}/Verifications/{Sid}', '/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{ChallengeSid}/Notifications']) assert.ok(document.paths[path], `${path} keeps Twilio's spelling`);
});

it('keeps what no route declares: the long description, the verityEvent webhook and the event payloads', () => {
  assert.match(String(document.info.description), /\*\*Errors\.\*\*[\s\S]*\| 60200 \| 400 \|/, 'the description ends with the error code table');
  const post = document.webhooks.verityEvent?.post as Json | undefined;
  assert.ok(post, 'the verityEvent webhook is documented');
  assert.deepEqual(((post.parameters ?? []) as Json[]).map((p) => p.name), ['Verity-Signature', 'Verity-Event-Id', 'Verity-Event-Type']);
  for (const name of ['WebhookEvent', 'VerificationEventData', 'VerificationProgressEvent', 'FactorEventData', 'ChallengeEventData', 'RecoveryCodeEventData', 'ChallengeProgressEvent']) {
    assert.ok(document.components.schemas[name], `component ${name}`);
  }
});

it('refers only to components it has', () => {
  const refs = JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g);
  for (const [, name] of refs) assert.ok(document.components.schemas[name ?? ''], `$ref ${name} resolves`);
});
