/**
 * The image of a concept in a THINGS-style image folder (one file per concept, named by its id), as
 * `conceptlab annotate --mode vision`, the simulation server and the interpretation report look it up.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FileError, InvalidArgumentError } from './errors.js';

/** The extensions {@link findConceptImage} tries, in order. */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp'] as const;

/**
 * The image file of a concept: `DIR/<id>.jpg`, `.jpeg`, `.png` or `.webp`, the one that exists.
 * @throws FileError naming the directory and the id when there is none, or naming both files when a concept
 *   has two (e.g. `x.png` and `x.jpg`: which one a model saw must never depend on an extension order);
 *   InvalidArgumentError for an id that is not a file name stem.
 */
export function findConceptImage(dir: string, conceptId: string): string {
  if (typeof conceptId !== 'string' || conceptId === '' || /[\\/]/.test(conceptId) || conceptId === '.' || conceptId === '..') {
    throw new InvalidArgumentError('conceptId', 'a concept id (a file name stem, no path separators)', conceptId);
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new FileError(dir, 'read', 'not a directory (expected the images directory)');
  const found = IMAGE_EXTENSIONS.map((ext) => join(dir, conceptId + ext)).filter((file) => existsSync(file) && statSync(file).isFile());
  if (found.length > 1) {
    throw new FileError(found[0], 'read', `${found.slice(1).join(' and ')} ${found.length > 2 ? 'are images' : 'is an image'} of concept ${JSON.stringify(conceptId)} too; keep one image per concept`);
  }
  if (found.length === 1) return found[0];
  throw new FileError(
    dir,
    'read',
    `no image for concept ${JSON.stringify(conceptId)} (looked for ${IMAGE_EXTENSIONS.map((e) => conceptId + e).join(', ')})`,
  );
}
