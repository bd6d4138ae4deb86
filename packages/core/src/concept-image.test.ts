import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileError, InvalidArgumentError } from './errors.js';
import { findConceptImage } from './concept-image.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'concept-image-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('findConceptImage', () => {
  it('finds DIR/<id>.jpg|.jpeg|.png|.webp, in that order', () => {
    const d = join(dir, 'images');
    mkdirSync(d);
    writeFileSync(join(d, 'bat1.png'), '');
    writeFileSync(join(d, 'bat1.webp'), '');
    writeFileSync(join(d, 'cup.jpeg'), '');
    writeFileSync(join(d, 'cup.jpg'), '');
    expect(findConceptImage(d, 'bat1')).toBe(join(d, 'bat1.png'));
    expect(findConceptImage(d, 'cup')).toBe(join(d, 'cup.jpg'));
  });

  it('throws FileError naming the directory and the id when there is none', () => {
    const d = join(dir, 'images2');
    mkdirSync(d);
    let err: unknown;
    try {
      findConceptImage(d, 'aardvark');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FileError);
    expect((err as FileError).file).toBe(d);
    expect((err as Error).message).toContain('"aardvark"');
    expect(() => findConceptImage(join(dir, 'no-such-dir'), 'x')).toThrow(FileError);
    expect(() => findConceptImage(d, '../x')).toThrow(InvalidArgumentError);
  });
});
