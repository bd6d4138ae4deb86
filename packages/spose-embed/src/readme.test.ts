import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// Runs the README's example against the built package and compares what it prints with the README.
test('the README example runs and prints what the README says', () => {
  const root = join(__dirname, '..');
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(readme)![1];
  const expected = /prints\n\n```\n([\s\S]*?)```/.exec(readme)![1];
  const file = join(root, `.readme-example-${process.pid}.mjs`);
  writeFileSync(file, code);
  try {
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', cwd: root, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(expected);
  } finally {
    rmSync(file, { force: true });
  }
});
