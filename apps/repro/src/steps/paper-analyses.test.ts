import { dataDirForTests } from '@conceptlab/core';
import { paperAnalyses } from './paper-analyses.js';

const data = dataDirForTests(__dirname, 'things/ for the paper analyses of the reproduction');

(data ? describe : describe.skip)('steps 6–7 on the real data', () => {
  test('every check passes against the numpy references, and the chance level is the authors\' ≈ 10%', () => {
    const r = paperAnalyses(data!);
    expect(r.checks.filter((c) => !c.pass).map((c) => `${c.name}: ${c.value} vs ${c.reference}`)).toEqual([]);
    expect(r.checks.length).toBe(14);
    expect(r.categories.chance).toBeGreaterThan(0.09);
    expect(r.categories.chance).toBeLessThan(0.11);
    expect(r.categories.chanceMethod).toMatch(/shuffle labels against fixed predictions/);
  }, 120_000);
});
