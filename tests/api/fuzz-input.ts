// Inputs shared by the fuzz tests: junk values of every kind and a seeded random source.
const deep = (depth: number): unknown => (depth === 0 ? 'x' : { a: [deep(depth - 1)] });
export const JUNK: unknown[] = [
  null, true, false, 0, -1, -0, 1.5, 1e308, -1e308, 2 ** 53 + 1, '', ' ', 'NaN', 'nan', 'Infinity', '-Infinity', '1e309',
  '1e-400', '0x10', '1_000', '١٢٣', '１２３', '😀', '\u0000', '\u202e', 'ＳＢＩＮ', "'; DROP TABLE orders; --", '<script>',
  '9'.repeat(400), 'A'.repeat(10_000), [], [1, 2], {}, { $gt: '' }, { __proto__: { polluted: true } }, deep(64),
  [[[[[]]]]], '{"a":1}', 'BUY ', 'buy', 'MARKET\n', '2026-02-30', '2026-13-01', '-1', '0', '0.0000000001',
  '0o17', '0b11', '0X1F', '-0x10', '1e3', '1E-2', '+5', ' 5 ', 'inf', '-inf', 'infinity', '1__0', '1e', '.5', '5.',
];

// The seeded source the fault-injecting broker uses (mulberry32), so a failing case is reproducible from its seed.
export { seededRandom as random } from '../../src/domain/seeded-random.js';
