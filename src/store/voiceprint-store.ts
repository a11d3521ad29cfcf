import type { Kysely } from 'kysely';
import type { Database, VoiceprintFingerprintRow, VoiceprintRecordingRow } from './schema.ts';

/** How many fingerprints a factor remembers for the replay check (the newest). */
const FINGERPRINTS_KEPT = 100;

/** Recordings and fingerprints of voiceprint factors; both go when the factor goes (cascade). */
export class VoiceprintStore {
  constructor(private readonly db: Kysely<Database>) {}

  async addRecording(row: VoiceprintRecordingRow): Promise<void> {
    await this.db.insertInto('voiceprint_recordings').values(row).execute();
  }

  async recordings(factorSid: string, purpose: string): Promise<VoiceprintRecordingRow[]> {
    return this.db.selectFrom('voiceprint_recordings').selectAll().where('factor_sid', '=', factorSid).where('purpose', '=', purpose).orderBy('date_created').orderBy('sid').execute();
  }

  async deleteRecordings(factorSid: string, purpose: string): Promise<void> {
    await this.db.deleteFrom('voiceprint_recordings').where('factor_sid', '=', factorSid).where('purpose', '=', purpose).execute();
  }

  async deleteRecording(sid: string): Promise<void> {
    await this.db.deleteFrom('voiceprint_recordings').where('sid', '=', sid).execute();
  }

  async addFingerprint(row: VoiceprintFingerprintRow): Promise<void> {
    await this.db.insertInto('voiceprint_fingerprints').values(row).execute();
    const keep = await this.db.selectFrom('voiceprint_fingerprints').select('sid').where('factor_sid', '=', row.factor_sid).orderBy('date_created', 'desc').orderBy('sid', 'desc').limit(FINGERPRINTS_KEPT).execute();
    if (keep.length === FINGERPRINTS_KEPT) {
      await this.db
        .deleteFrom('voiceprint_fingerprints')
        .where('factor_sid', '=', row.factor_sid)
        .where('sid', 'not in', keep.map((k) => k.sid))
        .execute();
    }
  }

  async fingerprints(factorSid: string): Promise<string[]> {
    return (await this.db.selectFrom('voiceprint_fingerprints').select('fingerprint').where('factor_sid', '=', factorSid).execute()).map((r) => r.fingerprint);
  }
}
