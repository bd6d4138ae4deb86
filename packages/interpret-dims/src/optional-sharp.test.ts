import { MissingPeerDependencyError } from '@conceptlab/core';
import { loadSharp } from './optional-sharp.js';

test('sharp is loaded when installed', async () => {
  const sharp = await loadSharp('a test');
  expect(typeof sharp).toBe('function');
});

test('without sharp, the output that needs it fails with a one-line typed error saying how to install it', async () => {
  const missing = () => Promise.reject(Object.assign(new Error("Cannot find package 'sharp'"), { code: 'ERR_MODULE_NOT_FOUND' }));
  let err: unknown;
  try {
    await loadSharp("interpret's PNG figures", missing);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(MissingPeerDependencyError);
  expect(err).toMatchObject({ _tag: 'MissingPeerDependencyError', dependency: 'sharp', output: "interpret's PNG figures" });
  expect((err as Error).message).toBe("interpret's PNG figures needs the optional peer dependency sharp, which is not installed: npm install sharp");
  const cjsMissing = () => Promise.reject(Object.assign(new Error("Cannot find module 'sharp'"), { code: 'MODULE_NOT_FOUND' }));
  await expect(loadSharp('x', cjsMissing)).rejects.toThrow(MissingPeerDependencyError);
  // any other failure (e.g. a broken native binary) is not disguised as "not installed"
  const broken = () => Promise.reject(new Error('libvips failed to load'));
  await expect(loadSharp('x', broken)).rejects.toThrow('libvips failed to load');
});
