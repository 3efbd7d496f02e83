import { describe, expect, it } from 'vitest';
import { copyWith } from '../../src/domain/objects.js';

describe('copyWith', () => {
  it('is { ...base, ...changes }: a new object, base untouched, changes win, key order kept', () => {
    const base = { a: 1, b: 2n, c: 'x' };
    const copy = copyWith(base, { b: 3n, d: undefined });
    expect(copy).toEqual({ a: 1, b: 3n, c: 'x', d: undefined });
    expect(Object.keys(copy)).toEqual(Object.keys({ ...base, ...{ b: 3n, d: undefined } }));
    expect(base).toEqual({ a: 1, b: 2n, c: 'x' });
    expect(copy).not.toBe(base);
  });
});
