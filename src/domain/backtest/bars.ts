// OHLCV bars as columns of float64 values: the backtest engine's input. Columns, not objects, so a million bars are
// 48 MB in six arrays and can live in one SharedArrayBuffer that every sweep worker reads without a copy.

/** Bars in time order; every column has `length` values. Times are epoch ms (UTC) at which each bar's period starts. */
export interface BarColumns {
  readonly length: number;
  readonly time: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

export const BAR_FIELDS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;
export type BarField = (typeof BAR_FIELDS)[number];
/** The price and volume columns an indicator can be computed over. */
export type PriceField = Exclude<BarField, 'time'>;

/**
 * Empty columns for `length` bars, laid out one after another in `buffer` (a SharedArrayBuffer to share them between
 * threads), which must hold 6 × 8 × length bytes.
 */
export function allocateBars(length: number, buffer: ArrayBufferLike = new ArrayBuffer(barBytes(length))): BarColumns {
  const column = (index: number): Float64Array => new Float64Array(buffer, index * length * 8, length);
  return {
    length,
    time: column(0),
    open: column(1),
    high: column(2),
    low: column(3),
    close: column(4),
    volume: column(5),
  };
}

export function barBytes(length: number): number {
  return BAR_FIELDS.length * 8 * length;
}

/** The columns laid over a buffer that `allocateBars` filled (in this thread or another). */
export function barsOfBuffer(buffer: ArrayBufferLike): BarColumns {
  return allocateBars(buffer.byteLength / (BAR_FIELDS.length * 8), buffer);
}

/** Bars `from` (inclusive) to `to` (exclusive), viewing the same memory. */
export function sliceBars(bars: BarColumns, from: number, to: number): BarColumns {
  return {
    length: to - from,
    time: bars.time.subarray(from, to),
    open: bars.open.subarray(from, to),
    high: bars.high.subarray(from, to),
    low: bars.low.subarray(from, to),
    close: bars.close.subarray(from, to),
    volume: bars.volume.subarray(from, to),
  };
}
