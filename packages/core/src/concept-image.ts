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
 * The image file of a concept: `DIR/<id>.jpg`, `.jpeg`, `.png` or `.webp`, the first that exists.
 * @throws FileError naming the directory and the id when there is none; InvalidArgumentError for an id that
 *   is not a file name stem.
 */
export function findConceptImage(dir: string, conceptId: string): string {
  if (typeof conceptId !== 'string' || conceptId === '' || /[\\/]/.test(conceptId) || conceptId === '.' || conceptId === '..') {
    throw new InvalidArgumentError('conceptId', 'a concept id (a file name stem, no path separators)', conceptId);
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new FileError(dir, 'read', 'not a directory (expected the images directory)');
  for (const ext of IMAGE_EXTENSIONS) {
    const file = join(dir, conceptId + ext);
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  throw new FileError(
    dir,
    'read',
    `no image for concept ${JSON.stringify(conceptId)} (looked for ${IMAGE_EXTENSIONS.map((e) => conceptId + e).join(', ')})`,
  );
}
