import { InvalidArgumentError } from './errors.js';

/**
 * A seeded pseudo-random generator: xoshiro128** 1.1 (Blackman & Vigna, https://prng.di.unimi.it/),
 * a 128-bit-state generator with period 2^128 − 1 that passes BigCrush.
 *
 * Seeding: the seed (an integer in [0, 2^53) or a bigint in [0, 2^64)) is expanded by SplitMix64,
 * the seeding method the authors recommend; its first two outputs give the four 32-bit state words
 * (low word first). Stream `s` is the seeded state advanced by `s` calls of the 2^64-step jump, so
 * streams of one seed never overlap in practice (for parallel workers or per-seed runs).
 *
 * Every method is deterministic: the same seed and stream give the same numbers on every machine.
 */
export interface Rng {
  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** A uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number;
  /** A uniform integer in [0, n), without modulo bias; 1 ≤ n ≤ 2^32. */
  nextInt(n: number): number;
  /** A normal deviate (Box–Muller, one deviate per two uniforms). */
  nextNormal(mean?: number, sd?: number): number;
  /** Shuffle in place (Fisher–Yates, from the end) and return the same array. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T;
  /** A random permutation of 0..n−1. */
  permutation(n: number): Int32Array;
  /** k distinct integers from [0, n), in random order. */
  sampleWithoutReplacement(n: number, k: number): Int32Array;
  /** Advance by 2^64 steps (the xoshiro128 jump). */
  jump(): void;
  /** The 4-word state, for checkpoints; {@link Rng.setState} restores it exactly. */
  getState(): Uint32Array;
  setState(state: ArrayLike<number>): void;
}

const MASK64 = (1n << 64n) - 1n;

function splitmix64Next(state: { x: bigint }): bigint {
  state.x = (state.x + 0x9e3779b97f4a7c15n) & MASK64;
  let z = state.x;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

function seedToBigInt(seed: number | bigint): bigint {
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed > MASK64) throw new InvalidArgumentError('seed', 'an integer in [0, 2^64)', seed);
    return seed;
  }
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidArgumentError('seed', 'a non-negative safe integer', seed);
  return BigInt(seed);
}

const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];

class Xoshiro128 implements Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  constructor(seed: number | bigint, stream: number) {
    const st = { x: seedToBigInt(seed) };
    const a = splitmix64Next(st);
    const b = splitmix64Next(st);
    this.s0 = Number(a & 0xffffffffn) >>> 0;
    this.s1 = Number(a >> 32n) >>> 0;
    this.s2 = Number(b & 0xffffffffn) >>> 0;
    this.s3 = Number(b >> 32n) >>> 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is forbidden
    for (let i = 0; i < stream; i++) this.jump();
  }

  nextUint32(): number {
    const s0 = this.s0, s1 = this.s1;
    const r = Math.imul(s1, 5);
    const result = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  nextFloat(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) throw new InvalidArgumentError('n', 'an integer in [1, 2^32]', n);
    // Reject the top 2^32 mod n values so every residue is equally likely.
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  nextNormal(mean = 0, sd = 1): number {
    const u1 = 1 - this.nextFloat(); // (0, 1]
    const u2 = this.nextFloat();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    return a;
  }

  permutation(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('n', 'a non-negative integer', n);
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  sampleWithoutReplacement(n: number, k: number): Int32Array {
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('n', 'a non-negative integer', n);
    if (!Number.isInteger(k) || k < 0 || k > n) throw new InvalidArgumentError('k', `an integer in [0, ${n}]`, k);
    const out = new Int32Array(k);
    if (k * 8 < n) {
      // Floyd's algorithm: O(k) draws and memory, then shuffle so the order is random too.
      const seen = new Set<number>();
      let o = 0;
      for (let j = n - k; j < n; j++) {
        const t = this.nextInt(j + 1);
        const v = seen.has(t) ? j : t;
        seen.add(v);
        out[o++] = v;
      }
      return this.shuffle(out);
    }
    // Partial Fisher–Yates over 0..n−1.
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + this.nextInt(n - i);
      const tmp = p[i];
      p[i] = p[j];
      p[j] = tmp;
    }
    out.set(p.subarray(0, k));
    return out;
  }

  jump(): void {
    let t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    for (const word of JUMP) {
      for (let b = 0; b < 32; b++) {
        if ((word >>> b) & 1) {
          t0 ^= this.s0;
          t1 ^= this.s1;
          t2 ^= this.s2;
          t3 ^= this.s3;
        }
        this.nextUint32();
      }
    }
    this.s0 = t0;
    this.s1 = t1;
    this.s2 = t2;
    this.s3 = t3;
  }

  getState(): Uint32Array {
    return Uint32Array.of(this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0);
  }

  setState(state: ArrayLike<number>): void {
    if (state.length !== 4) throw new InvalidArgumentError('state', '4 unsigned 32-bit words', state.length);
    const w = Array.from(state, (x) => x >>> 0);
    if ((w[0] | w[1] | w[2] | w[3]) === 0) throw new InvalidArgumentError('state', 'a non-zero state');
    [this.s0, this.s1, this.s2, this.s3] = w;
  }
}

/** A generator for `seed`, on stream `stream` (0 by default). */
export function createRng(seed: number | bigint, stream = 0): Rng {
  if (!Number.isInteger(stream) || stream < 0) throw new InvalidArgumentError('stream', 'a non-negative integer', stream);
  return new Xoshiro128(seed, stream);
}
