// Counter-based random numbers for the simulated market: every value is a pure hash of (stream key, index),
// so a price never depends on which instruments were asked for before, or how often.

/** Identifies one stream of numbers: a seed and a name (e.g. `walk:NSE:SBIN`) hashed together. */
export function streamKey(seed: number, name: string): number {
  const whole = Math.trunc(seed);
  let h = mixWord(0x2545f491, whole >>> 0);
  h = mixWord(h, Math.floor(whole / 0x1_0000_0000) >>> 0);
  for (let i = 0; i < name.length; i++) h = mixWord(h, name.charCodeAt(i));
  return finish(h ^ name.length);
}

/** The key of an independent sub-stream of `key` (e.g. one purpose, one day): hash the lanes once, draw cheaply. */
export function subKey(key: number, lane: number, sublane = 0): number {
  let h = mixWord(key | 0, lane | 0);
  h = mixWord(h, sublane | 0);
  return finish(h ^ 8);
}

/** A uniform number in (0, 1), never exactly 0 or 1, at a non-negative integer `index` (below 2^53) of a stream. */
export function uniform(key: number, index: number): number {
  return (hash(key, index) + 0.5) / 0x1_0000_0000;
}

/** A standard normal number, by the inverse normal CDF of `uniform` (one hash per value). */
export function normal(key: number, index: number): number {
  return inverseNormalCdf(uniform(key, index));
}

/** The raw unsigned 32-bit hash behind `uniform`. */
export function hash(key: number, index: number): number {
  let h = mixWord(key | 0, index >>> 0);
  if (index >= 0x1_0000_0000) h = mixWord(h, Math.floor(index / 0x1_0000_0000) >>> 0);
  return finish(h ^ 4);
}

// One MurmurHash3 block round: absorbs a 32-bit word into the running hash.
function mixWord(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

// MurmurHash3's finaliser: full avalanche, so neighbouring counters give unrelated outputs.
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// Acklam's coefficients: central region (A/B) and tails (C/D).
const A0 = -39.69683028665376, A1 = 220.9460984245205, A2 = -275.9285104469687;
const A3 = 138.357751867269, A4 = -30.66479806614716, A5 = 2.506628277459239;
const B0 = -54.47609879822406, B1 = 161.5858368580409, B2 = -155.6989798598866;
const B3 = 66.80131188771972, B4 = -13.28068155288572;
const C0 = -0.007784894002430293, C1 = -0.3223964580411365, C2 = -2.400758277161838;
const C3 = -2.549732539343734, C4 = 4.374664141464968, C5 = 2.938163982698783;
const D0 = 0.007784695709041462, D1 = 0.3224671290700398, D2 = 2.445134137142996, D3 = 3.754408661907416;
const P_LOW = 0.02425;

/** Inverse of the standard normal CDF (Acklam's rational approximation, relative error below 1.2e-9). */
export function inverseNormalCdf(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return tail(q);
  }
  if (p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -tail(q);
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A0 * r + A1) * r + A2) * r + A3) * r + A4) * r + A5) * q) /
    (((((B0 * r + B1) * r + B2) * r + B3) * r + B4) * r + 1)
  );
}

function tail(q: number): number {
  return (((((C0 * q + C1) * q + C2) * q + C3) * q + C4) * q + C5) / ((((D0 * q + D1) * q + D2) * q + D3) * q + 1);
}
