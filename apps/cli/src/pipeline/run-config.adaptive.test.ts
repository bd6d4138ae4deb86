import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adaptiveRoundSizes, readRunConfigFile } from './run-config.js';

describe('adaptiveRoundSizes', () => {
  test('validation = round(budget × share); round 0 an equal share by default; the rest split equally, the first rounds one more', () => {
    // 3,000 × 0.1 = 300 validation; 2,700 training over 3 rounds
    expect(adaptiveRoundSizes({ budget: 3000, rounds: 3 }, 0.1)).toEqual({ validation: 300, train: 2700, rounds: [900, 900, 900] });
    // 1,005 × 0.1 = 100.5 → 101 (Math.round); 904 training: round 0 ⌊904/3⌋ = 301, the other 603 as 302 + 301
    expect(adaptiveRoundSizes({ budget: 1005, rounds: 3 }, 0.1)).toEqual({ validation: 101, train: 904, rounds: [301, 302, 301] });
    // --initial: round 0 as given, the rest shared by the R − 1 adaptive rounds
    expect(adaptiveRoundSizes({ budget: 3000, rounds: 4, initial: 1200 }, 0.1)).toEqual({ validation: 300, train: 2700, rounds: [1200, 500, 500, 500] });
    expect(adaptiveRoundSizes({ budget: 3000, rounds: 3, initial: 1001 }, 0.1).rounds).toEqual([1001, 850, 849]);
    // every training triplet is in exactly one round
    for (const [budget, rounds] of [[3000, 7], [10, 2], [12, 3], [99_999, 11]] as const) {
      const s = adaptiveRoundSizes({ budget, rounds }, 0.1);
      expect(s.rounds.reduce((a, b) => a + b, 0)).toBe(s.train);
      expect(s.validation + s.train).toBe(budget);
      expect(Math.max(...s.rounds.slice(1)) - Math.min(...s.rounds.slice(1))).toBeLessThanOrEqual(1);
    }
  });
});

describe('readRunConfigFile with design.adaptive', () => {
  const dir = mkdtempSync(join(tmpdir(), 'conceptlab-config-'));
  const base = {
    version: 1,
    concepts: '/c',
    baseUrl: 'http://127.0.0.1:1/v1',
    model: 'm',
    mode: 'text',
    design: { seed: 0, validationFraction: 0.1 } as Record<string, unknown>,
    annotate: { temperature: 0.01, concurrency: 8, maxAttempts: 6 },
    fit: { dims: 10, lambda: 0.004, epochs: 20, batchSize: 100, lr: 0.01, seeds: [0, 1], schedule: 'fast' },
    merge: { threshold: 0.4, top: 66 },
    interpret: { top: 6, seed: 0 },
  };
  const adaptive = { budget: 3000, rounds: 3, rule: 'information-gain', ensemble: 2, initial: 900 };
  const write = (design: Record<string, unknown>) => {
    const f = join(dir, `${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(f, JSON.stringify({ ...base, design: { ...base.design, ...design } }));
    return f;
  };

  test('an adaptive config reads as written; a config without it keeps its meaning', () => {
    expect(readRunConfigFile(write({ adaptive })).design).toEqual({ seed: 0, validationFraction: 0.1, adaptive });
    expect(readRunConfigFile(write({ triplets: 1000 })).design).toEqual({ seed: 0, validationFraction: 0.1, triplets: 1000 });
  });

  test('an adaptive design with triplets or a file, or a bad field, is refused naming it', () => {
    expect(() => readRunConfigFile(write({ adaptive, triplets: 1000 }))).toThrow(/expected "design\.adaptive" without "design\.triplets" or "design\.file"/);
    expect(() => readRunConfigFile(write({ adaptive: { ...adaptive, rounds: 1 } }))).toThrow(/expected "design\.adaptive\.rounds": an integer ≥ 2, found 1/);
    expect(() => readRunConfigFile(write({ adaptive: { ...adaptive, rule: 'greedy' } }))).toThrow(/expected "design\.adaptive\.rule": uniform, coverage, uncertainty, information-gain, found "greedy"/);
    expect(() => readRunConfigFile(write({ adaptive: { ...adaptive, initial: undefined } }))).toThrow(/expected "design\.adaptive\.initial": an integer ≥ 1, found nothing/);
    expect(() => readRunConfigFile(write({ adaptive: { ...adaptive, roundEpochs: 0 } }))).toThrow(/"design\.adaptive\.roundEpochs"/);
    // neither a count, a file nor an adaptive design: the message of a config without the adaptive design
    expect(() => readRunConfigFile(write({}))).toThrow(/"design\.triplets" \(a number of triplets\) or "design\.file" \(a design file\), exactly one/);
  });
});
