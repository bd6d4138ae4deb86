// The one rule for a package README's runnable example, shared by each package's readme test
// (test-support/readme-example.ts) and tools/pack-check (which runs it against the installed tarball).
// Plain ESM JavaScript so that both a jest test (swc) and a Node script can import it.

/**
 * The README's first ```js block and the block after the line containing "prints" (what the example prints).
 * @param {string} readme the README's text
 * @param {string} where the README's path, for the error
 * @returns {{ code: string, expected: string }}
 */
export function readmeExample(readme, where) {
  const code = /```js\n([\s\S]*?)```/.exec(readme);
  const expected = /prints[^\n]*\n\n```\n([\s\S]*?)```/.exec(readme);
  if (!code || !expected) throw new Error(`${where}: expected a \`\`\`js example followed by "prints" and its output`);
  return { code: code[1], expected: expected[1] };
}
