// Inputs shared by the fuzz tests: junk values of every kind and a seeded random source.
const deep = (depth: number): unknown => (depth === 0 ? 'x' : { a: [deep(depth - 1)] });
export const JUNK: unknown[] = [
  null, true, false, 0, -1, -0, 1.5, 1e308, -1e308, 2 ** 53 + 1, '', ' ', 'NaN', 'nan', 'Infinity', '-Infinity', '1e309',
  '1e-400', '0x10', '1_000', '١٢٣', '１２３', '😀', '\u0000', '\u202e', 'ＳＢＩＮ', "'; DROP TABLE orders; --", '<script>',
  '9'.repeat(400), 'A'.repeat(10_000), [], [1, 2], {}, { $gt: '' }, { __proto__: { polluted: true } }, deep(64),
  [[[[[]]]]], '{"a":1}', 'BUY ', 'buy', 'MARKET\n', '2026-02-30', '2026-13-01', '-1', '0', '0.0000000001',
];

// A small seeded generator (mulberry32), so a failure names a reproducible case.
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
