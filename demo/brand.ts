import { crc32, deflateSync } from 'node:zlib';

/**
 * Demo Bank's look on Verity's hosted pages (docs/handoff.md, "Branding"): its colours (demo.css
 * `--bank` and `--paper`), its help page and its logo, a small PNG drawn here (a brass bank front on
 * the bank's green) so the repository holds no binary file.
 */
export const DEMO_BRAND = { primaryColor: '#0f3d2e', backgroundColor: '#f6f1e6' } as const;

const SIZE = 64;
type Rgb = readonly [number, number, number];
const GREEN: Rgb = [0x0f, 0x3d, 0x2e];
const BRASS: Rgb = [0xd9, 0xa8, 0x4a];

/** The colour of pixel (x, y) of the logo: a pediment, four columns and a base on green. */
function pixel(x: number, y: number): Rgb {
  const mid = SIZE / 2;
  const pediment = y >= 10 && y < 22 && Math.abs(x - mid) <= (y - 10) * 2 + 1;
  const lintel = y >= 22 && y < 26 && x >= 12 && x < 52;
  const column = y >= 27 && y < 46 && [15, 25, 35, 45].some((c) => x >= c && x < c + 5);
  const base = (y >= 47 && y < 51 && x >= 10 && x < 54) || (y >= 52 && y < 55 && x >= 8 && x < 56);
  return pediment || lintel || column || base ? BRASS : GREEN;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** The logo as a PNG (64×64, RGB, 8 bits). */
export function demoLogoPng(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows: number[] = [];
  for (let y = 0; y < SIZE; y++) {
    rows.push(0); // filter: none
    for (let x = 0; x < SIZE; x++) rows.push(...pixel(x, y));
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.from(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * Registers the branding on the demo's hand-off client (`POST …/HandoffClients/{Sid}`, which the
 * SDK does not wrap yet): on every start, so a change here shows at once; the same values change nothing.
 */
export async function applyDemoBranding(options: { verityUrl: string; accountSid: string; authToken: string; serviceSid: string; clientSid: string; supportUrl: string | undefined }): Promise<void> {
  const body = new URLSearchParams({
    PrimaryColor: DEMO_BRAND.primaryColor,
    BackgroundColor: DEMO_BRAND.backgroundColor,
    ...(options.supportUrl ? { SupportUrl: options.supportUrl } : {}),
    Logo: demoLogoPng().toString('base64'),
  });
  const url = `${options.verityUrl.replace(/\/+$/, '')}/v2/Services/${options.serviceSid}/HandoffClients/${options.clientSid}`;
  const answer = await fetch(url, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
  });
  if (!answer.ok) throw new Error(`Verity refused Demo Bank's branding: ${answer.status} ${await answer.text()}`);
}
