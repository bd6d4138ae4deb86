"""A Python port of @conceptlab/core's createRng(seed) (xoshiro128** 1.1 seeded by SplitMix64) and its
nextInt(n) (rejection of the top 2^32 mod n values), written from the published algorithms
(https://prng.di.unimi.it/). The reference scripts use it to draw the *same* bootstrap indices and tie-breaks as
the TypeScript code, so Monte-Carlo results can be compared to 1e-9; everything else in them is an independent
numpy port of the authors' scripts.
"""
M32 = 0xFFFFFFFF
M64 = (1 << 64) - 1


def _rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M32


class Rng:
    def __init__(self, seed):
        x = seed

        def splitmix():
            nonlocal x
            x = (x + 0x9E3779B97F4A7C15) & M64
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
            return z ^ (z >> 31)

        a, b = splitmix(), splitmix()
        self.s = [a & M32, a >> 32, b & M32, b >> 32]
        if not any(self.s):
            self.s[0] = 1

    def next_uint32(self):
        s0, s1, s2, s3 = self.s
        result = (_rotl((s1 * 5) & M32, 7) * 9) & M32
        t = (s1 << 9) & M32
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = _rotl(s3, 11)
        self.s = [s0, s1, s2, s3]
        return result

    def next_int(self, n):
        limit = 4294967296 - (4294967296 % n)
        while True:
            v = self.next_uint32()
            if v < limit:
                return v % n


def bootstrap_indices(pairs, resamples, seed):
    """Resample b draws its `pairs` indices in turn (b = 0, 1, ...), as compareSimilarity."""
    rng = Rng(seed)
    return [[rng.next_int(pairs) for _ in range(pairs)] for _ in range(resamples)]
