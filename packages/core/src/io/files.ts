import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FileError } from '../errors.js';

/** Read a whole file, turning OS errors into a {@link FileError} that names the file. */
export function readFileBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new FileError(file, 'read', osReason(e), { cause: e });
  }
}

/** Read a UTF-8 text file (a leading byte-order mark is dropped). */
export function readFileText(file: string): string {
  const text = Buffer.from(readFileBytes(file)).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Write a file atomically: the bytes go to a temporary file beside it, which is then renamed over the
 * target, so a reader (or a crash) never sees a half-written file. Parent directories are created.
 */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new FileError(file, 'write', osReason(e), { cause: e });
  }
}

function osReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a parent path is not a directory';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
