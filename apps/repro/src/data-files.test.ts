import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDataDir, REQUIRED_DATA_FILES } from './data-files.js';

describe('checkDataDir', () => {
  test('names every missing file at once; a complete directory passes', () => {
    const d = mkdtempSync(join(tmpdir(), 'repro-data-'));
    for (const f of REQUIRED_DATA_FILES.filter((f) => !f.startsWith('rsa92/'))) {
      mkdirSync(join(d, f, '..'), { recursive: true });
      writeFileSync(join(d, f), '');
    }
    expect(() => checkDataDir(d)).toThrow(`${d}: cannot read: missing rsa92/index.json, rsa92/brain_rdms.npy, rsa92/model_rdms.npy (the reproduction reads`);
    mkdirSync(join(d, 'rsa92', 'index.json'), { recursive: true }); // a directory is not the file
    writeFileSync(join(d, 'rsa92', 'brain_rdms.npy'), '');
    writeFileSync(join(d, 'rsa92', 'model_rdms.npy'), '');
    expect(() => checkDataDir(d)).toThrow('missing rsa92/index.json (');
  });
});
