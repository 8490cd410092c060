/**
 * Seeded RSA-2048 key generation (src/x509/rsa_keygen.ts): milliseconds per key over several
 * seeds, uncached. Prints JSON. Chains with RSA keys pay this once per (seed, key) at setup.
 *   npm run build && node dist/bench/rsa_keygen.bench.js [KEYS]
 */
import { performance } from 'node:perf_hooks';
import { generateRsa2048Key } from '../src/x509/rsa_keygen.js';

const keys = Number(process.argv[2] ?? 20);
const times_ms: number[] = [];
for (let seed = 1; seed <= keys; seed++) {
  const t0 = performance.now();
  generateRsa2048Key(seed, 'bench');
  times_ms.push(performance.now() - t0);
}
const sorted = [...times_ms].sort((a, b) => a - b);
const round = (v: number) => Number(v.toFixed(1));
process.stdout.write(
  JSON.stringify(
    {
      node: process.version,
      keys,
      mean_ms: round(times_ms.reduce((a, b) => a + b, 0) / keys),
      median_ms: round(sorted[Math.floor(keys / 2)]!),
      max_ms: round(sorted[keys - 1]!),
    },
    null,
    2,
  ) + '\n',
);
