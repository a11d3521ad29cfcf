import { migrateToLatest, openDatabase } from '../../src/store/database.ts';

/**
 * Child process of the store contract: migrates the database at argv[2] and prints the applied
 * migrations as JSON, or `ERROR <message>` with exit code 1.
 */
const db = openDatabase(process.argv[2] ?? '');
try {
  process.stdout.write(`${JSON.stringify(await migrateToLatest(db))}\n`);
} catch (error) {
  process.stdout.write(`ERROR ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await db.close();
}
