import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataDirForTests } from '@conceptlab/core';
import { reproduce } from './reproduce.js';
import { brainRsa, RSA92_REFERENCE } from './steps/brain.js';
import { humanNoiseCeiling, llmAgreement } from './steps/behaviour.js';

const data = dataDirForTests(__dirname, 'things/, llm-triplets/ and rsa92/ for the reproduction');

(data ? describe : describe.skip)('the reproduction on the real data', () => {
  test('steps 1–2: the published noise ceiling and the LLM agreement', () => {
    const nc = humanNoiseCeiling(data!);
    // numpy, independently: 67.22078131773478 ± 1.0391604911401617
    expect(nc.percent).toBeCloseTo(67.22078131773478, 9);
    expect(nc.ci95).toBeCloseTo(1.0391604911401617, 9);
    expect(nc.checks.every((c) => c.pass)).toBe(true);
    const a = llmAgreement(data!);
    expect(a).toMatchObject({ agree: 754, total: 2171 });
    expect(a.checks.every((c) => c.pass)).toBe(true);
  });

  test('step 5: RSA of the 8 models with human IT equals numpy, with ordered CIs and the noise ceiling', () => {
    const b = brainRsa(data!, 100);
    for (const method of ['tau-a', 'corr'] as const) {
      const m = b.methods[method]!;
      m.models.forEach((s, i) => {
        expect(Math.abs(s.value - RSA92_REFERENCE[method][i]!)).toBeLessThanOrEqual(1e-9);
        expect(s.ciLow).toBeLessThanOrEqual(s.value);
        expect(s.ciHigh).toBeGreaterThanOrEqual(s.value);
      });
      expect(m.noiseCeiling.lower).toBeLessThan(m.noiseCeiling.upper);
      // the categorical animacy model is the best of the 8 under both comparators
      expect(m.models.map((s) => s.value).indexOf(Math.max(...m.models.map((s) => s.value)))).toBe(0);
    }
    expect(b.checks).toHaveLength(20);
    expect(b.checks.every((c) => c.pass)).toBe(true);
  });

  test('the whole reproduction at the smoke scale writes results.json and report.html with every number', async () => {
    const out = mkdtempSync(join(tmpdir(), 'repro-'));
    const steps: string[] = [];
    const r = await reproduce({ dataDir: data!, outDir: out, scale: 'test', onStep: (s) => steps.push(s) });
    expect(steps).toHaveLength(4);
    expect(r.checks).toHaveLength(27);
    expect(r.passed).toBe(r.checks.every((c) => c.pass));
    expect(r.simulated.accuracy.merged).toBeGreaterThan(45); // far above chance (33.3%) on real human choices
    expect(r.simulated.dims.merged).toBeGreaterThan(0);
    const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as typeof r;
    expect(json.checks.map((c) => c.value)).toEqual(r.checks.map((c) => c.value));
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    for (const c of r.checks) expect(html).toContain(c.name.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
    expect(existsSync(join(out, 'merged-embedding.npy'))).toBe(true);
  }, 300_000);
});
