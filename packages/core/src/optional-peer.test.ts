import { importOptionalPeer, isModuleNotFound, MissingPeerDependencyError } from './index.js';

/** A dynamic import TypeScript does not resolve (the module does not exist). */
const importByName = (specifier: string): Promise<unknown> => import(specifier);

test('a module that is not installed: one typed line naming the output and the install command', async () => {
  const err = await importOptionalPeer('@tensorflow/tfjs-core @tensorflow/tfjs-backend-cpu', 'the tfjs engine', () => importByName('conceptlab-no-such-package-xyz')).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(MissingPeerDependencyError);
  expect(err).toMatchObject({ _tag: 'MissingPeerDependencyError', dependency: '@tensorflow/tfjs-core @tensorflow/tfjs-backend-cpu', output: 'the tfjs engine' });
  expect((err as Error).message).toBe(
    'the tfjs engine needs the optional peer dependency @tensorflow/tfjs-core @tensorflow/tfjs-backend-cpu, which is not installed: npm install @tensorflow/tfjs-core @tensorflow/tfjs-backend-cpu',
  );
  expect((err as Error).message).not.toContain('\n');
});

test('an installed module loads; any other failure is not disguised as missing', async () => {
  const path = await importOptionalPeer('node:path', 'a test', () => import('node:path'));
  expect(typeof path.join).toBe('function');
  await expect(importOptionalPeer('x', 'a test', () => Promise.reject(new Error('libvips failed to load')))).rejects.toThrow('libvips failed to load');
  expect(isModuleNotFound(Object.assign(new Error('x'), { code: 'MODULE_NOT_FOUND' }))).toBe(true);
  expect(isModuleNotFound(Object.assign(new Error('x'), { code: 'ERR_MODULE_NOT_FOUND' }))).toBe(true);
  expect(isModuleNotFound(new Error('x'))).toBe(false);
});
