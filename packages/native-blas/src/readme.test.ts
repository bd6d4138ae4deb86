import { join } from 'node:path';
import { runReadmeExample } from '../../../test-support/readme-example.js';
import { blasForTests } from '../test/blas-for-tests.js';

const blas = blasForTests("the README example (it calls the system BLAS)");

(blas ? test : test.skip)('the README example runs and prints what the README says', () => {
  const r = runReadmeExample(join(__dirname, '..'));
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(r.expected);
});
