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
  it('finds DIR/<id>.jpg|.jpeg|.png|.webp', () => {
    const d = join(dir, 'images');
    mkdirSync(d);
    for (const f of ['a.jpg', 'b.jpeg', 'c.png', 'd.webp']) writeFileSync(join(d, f), '');
    expect(['a', 'b', 'c', 'd'].map((id) => findConceptImage(d, id))).toEqual(['a.jpg', 'b.jpeg', 'c.png', 'd.webp'].map((f) => join(d, f)));
  });

  it('a concept with two images (x.png and x.jpg) is an error naming both files, never a silent pick', () => {
    const d = join(dir, 'images');
    mkdirSync(d);
    writeFileSync(join(d, 'bat1.png'), '');
    writeFileSync(join(d, 'bat1.jpg'), '');
    writeFileSync(join(d, 'bat1.webp'), '');
    expect(() => findConceptImage(d, 'bat1')).toThrow(
      expect.objectContaining({
        _tag: 'FileError',
        file: join(d, 'bat1.jpg'),
        message: `${join(d, 'bat1.jpg')}: cannot read: ${join(d, 'bat1.png')} and ${join(d, 'bat1.webp')} are images of concept "bat1" too; keep one image per concept`,
      }),
    );
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
