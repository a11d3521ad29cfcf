import { execFileSync } from 'node:child_process';

/**
 * Whether espeak-ng and sox run here: the engine's tests make their voices with them (synthetic
 * stand-ins for speakers, never passed off as people) and are skipped without them.
 */
export const speechToolsAvailable: boolean = ['espeak-ng', 'sox'].every((tool) => {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});
