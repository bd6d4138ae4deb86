import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateDataDir } from './data-dir.js';

describe('locateDataDir', () => {
  const saved = process.env.CONCEPTLAB_DATA;
  afterEach(() => {
    if (saved === undefined) delete process.env.CONCEPTLAB_DATA;
    else process.env.CONCEPTLAB_DATA = saved;
  });

  test('finds shared/data beside an ancestor', () => {
    delete process.env.CONCEPTLAB_DATA;
    const root = mkdtempSync(join(tmpdir(), 'cl-dd-'));
    mkdirSync(join(root, 'shared', 'data'), { recursive: true });
    writeFileSync(join(root, 'shared', 'data', 'README.md'), '#');
    mkdirSync(join(root, 'proj', 'packages', 'x'), { recursive: true });
    expect(locateDataDir(join(root, 'proj', 'packages', 'x'))).toBe(join(root, 'shared', 'data'));
  });

  test('CONCEPTLAB_DATA wins, and a missing one is undefined', () => {
    const d = mkdtempSync(join(tmpdir(), 'cl-dd-'));
    process.env.CONCEPTLAB_DATA = d;
    expect(locateDataDir('/')).toBe(d);
    process.env.CONCEPTLAB_DATA = join(d, 'nope');
    expect(locateDataDir('/')).toBeUndefined();
  });
});
