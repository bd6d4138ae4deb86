/** The README's first ```js block and the block after the line containing "prints" (what the example prints). */
export declare function readmeExample(readme: string, where: string): { code: string; expected: string };
