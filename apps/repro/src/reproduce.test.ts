import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
    expect(steps.length).toBeGreaterThanOrEqual(4);
    // Every check that does not depend on the size of the SPoSE fits passes at this scale too.
    const scaleFree = r.checks.filter((c) => !c.atScale);
    expect(scaleFree.length).toBeGreaterThanOrEqual(26);
    expect(scaleFree.filter((c) => !c.pass).map((c) => c.name)).toEqual([]);
    expect(r.simulated.accuracy.merged).toBeGreaterThan(45); // far above chance (33.3%) on real human choices
    expect(r.simulated.dims.merged).toBeGreaterThan(0);
    const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as typeof r;
    expect(json.checks.map((c) => c.value)).toEqual(r.checks.map((c) => c.value));
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    for (const c of r.checks) expect(html).toContain(c.name.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
    expect(existsSync(join(out, 'merged-embedding.npy'))).toBe(true);
  }, 300_000);
});

(data ? describe : describe.skip)('the reproduction can fail', () => {
  // A copy of the reference data with one thing changed: the checks that read it must fail.
  function tamperedCopy(edit: (dir: string) => void): string {
    const dir = mkdtempSync(join(tmpdir(), 'repro-tampered-'));
    cpSync(join(data!, 'things'), join(dir, 'things'), { recursive: true });
    cpSync(join(data!, 'llm-triplets'), join(dir, 'llm-triplets'), { recursive: true });
    cpSync(join(data!, 'rsa92'), join(dir, 'rsa92'), { recursive: true });
    edit(dir);
    return dir;
  }

  test('human answers changed in 300 of 20,000 rows: the noise-ceiling checks fail', () => {
    const dir = tamperedCopy((d) => {
      const f = join(d, 'things', 'human_noise_ceiling_triplets.tsv');
      const rows = readFileSync(f, 'utf8').trimEnd().split('\n');
      for (let t = 0; t < 300; t++) {
        const c = rows[t]!.split('\t');
        c[3] = String((Number(c[3]) % 3) + 1); // another position as the odd one out
        rows[t] = c.join('\t');
      }
      writeFileSync(f, rows.join('\n') + '\n');
    });
    const nc = humanNoiseCeiling(dir);
    expect(nc.checks.map((c) => c.pass)).toEqual([false, false]);
  });

  test("gpt-3.5-turbo's answers shifted by one row: the agreement checks fail", () => {
    const dir = tamperedCopy((d) => {
      const f = join(d, 'llm-triplets', '2171trials_gpt-3.5-turbo.txt');
      const rows = readFileSync(f, 'utf8').trimEnd().split('\n');
      const rot = rows.map((_, t) => {
        const [i, j, k] = rows[t]!.trim().split(/\s+/);
        return `${k} ${i} ${j}`; // same set, another odd one out
      });
      writeFileSync(f, rot.join('\n') + '\n');
    });
    const a = llmAgreement(dir);
    expect(a.checks.some((c) => !c.pass)).toBe(true);
  });

  test('one model RDM replaced by another: its RSA checks fail', () => {
    const b = brainRsa(tamperedCopy((d) => {
      const f = join(d, 'rsa92', 'model_rdms.npy');
      const buf = readFileSync(f);
      const header = buf.length - 8 * 8 * 92 * 92;
      const rdm = 8 * 92 * 92;
      buf.copy(buf, header, header + rdm, header + 2 * rdm); // model 0 := model 1
      writeFileSync(f, buf);
    }), 10);
    const failed = b.checks.filter((c) => !c.pass).map((c) => c.name);
    expect(failed).toEqual(expect.arrayContaining(['RSA tau-a: animacy vs human IT', 'RSA corr: animacy vs human IT']));
  });
});
