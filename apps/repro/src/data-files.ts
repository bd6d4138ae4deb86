import { statSync } from 'node:fs';
import { join } from 'node:path';
import { FileError } from '@conceptlab/core';

/** Every file of the reference data the reproduction reads, relative to the data directory. */
export const REQUIRED_DATA_FILES: readonly string[] = [
  'things/things_concepts.tsv',
  'things/category27.tsv',
  'things/human_embedding_vice42.npy',
  'things/human_noise_ceiling_triplets.tsv',
  'llm-triplets/2171trials_humans.txt',
  'llm-triplets/2171trials_gpt-3.5-turbo.txt',
  'rsa92/index.json',
  'rsa92/brain_rdms.npy',
  'rsa92/model_rdms.npy',
];

/**
 * Check, before any work, that the data directory holds every file the reproduction reads (each a regular
 * file). @throws FileError naming the directory and every missing file, so one run tells the whole list.
 */
export function checkDataDir(dataDir: string): void {
  const missing = REQUIRED_DATA_FILES.filter((f) => {
    try {
      return !statSync(join(dataDir, f)).isFile();
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    const all = missing.length === REQUIRED_DATA_FILES.length ? ' (none of the reference data is there)' : ` (the reproduction reads ${REQUIRED_DATA_FILES.join(', ')})`;
    throw new FileError(dataDir, 'read', `missing ${missing.join(', ')}${all}`);
  }
}
