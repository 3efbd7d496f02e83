// The SIP backtest (OpenAlgo's services/sip_service.py): daily closes of one NSE/BSE symbol from the broker serving the
// account, the SIP run on them with its charges, and every analysis OpenAlgo's results page shows, optionally against
// the same SIP into an index. The answer's keys are OpenAlgo's, the only API this analysis is served in.
import { type Decimal, ZERO, cmp, dec, toNumber, toRoundedNumber } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import type { Exchange } from '../domain/instrument.js';
import { type IsoDate, daysBetween, isCalendarDay } from '../domain/market-calendar.js';
import { drawdown, headline, lumpsumComparison, monthlyValueHeatmap, underwater, yearlyBreakdown } from '../domain/sip-analytics.js';
import { type ChargeOverrides, indiaDelivery, withOverrides } from '../domain/delivery-charges.js';
import { type SipCosts, flatBpsCosts, scheduleCosts } from '../domain/sip-charges.js';
import { crisisSipAnalysis, crisisSummary } from '../domain/sip-crisis.js';
import { type CloseSeries, type SipOptions, type SipResult, SipRunError, runSip, valueCurve } from '../domain/sip-engine.js';
import { SipGridRunner, frequencyComparison, rollingXirr, sipDateHeatmap, startDateHeatmap } from '../domain/sip-grids.js';
import { SipScheduleError, type SipFrequency } from '../domain/sip-schedule.js';
import { xirrOrNull } from '../domain/sip-xirr.js';
import { DailyClosesUnavailable, loadDailyCloses } from './daily-closes.js';
import type { TradingService } from './trading.js';

/** OpenAlgo's MAX_SIP_YEARS: the longest window, as 366-day years. */
export const MAX_SIP_YEARS = 30;
/** The exchanges a SIP may buy on (cash equity and ETFs), and those a benchmark index may be on. */
export const SIP_EXCHANGES = ['NSE', 'BSE'] as const;
export const BENCHMARK_EXCHANGES = ['NSE_INDEX', 'BSE_INDEX', 'GLOBAL_INDEX'] as const;
/** A daily move larger than this looks like an unadjusted split or bonus rather than the market (OpenAlgo's 0.35). */
const SPLIT_ARTIFACT_MOVE = 0.35;

export interface SipBacktestRequest {
  accountId: string;
  symbol: string;
  exchange: (typeof SIP_EXCHANGES)[number];
  startDate: string;
  endDate: string;
  amount: number;
  frequency: SipFrequency;
  dayOfMonth: number;
  stepUpPercent: number;
  brokeragePercent: number;
  brokerageFlat: number;
  costModel: 'indian_equity' | 'flat_bps';
  costExchange: (typeof SIP_EXCHANGES)[number];
  charges: ChargeOverrides | null;
  gstRate: number | null;
  costBps: number;
  slippage: number;
  benchmark: string | null;
  benchmarkExchange: (typeof BENCHMARK_EXCHANGES)[number];
  /** `db` or `api`: both read the account's broker here (Ordergate keeps no local history store). */
  source: 'db' | 'api';
  includeGrids: boolean;
}

/** The request cannot make a SIP (OpenAlgo answers 400). */
export class SipRequestInvalid extends RangeError {
  override readonly name = 'SipRequestInvalid';
}

/** The prices cannot carry the SIP: missing history, no session, no share affordable (OpenAlgo answers 422). */
export class SipDataUnusable extends RangeError {
  override readonly name = 'SipDataUnusable';
}

export interface SipBacktestDeps {
  trading: Pick<TradingService, 'getHistory'>;
  /** Lets other requests run between simulations; default: one turn of the event loop. */
  pause?: () => Promise<void>;
}

export async function runSipBacktest(request: SipBacktestRequest, deps: SipBacktestDeps) {
  const pause = deps.pause ?? nextTurn;
  const start = parseDay(request.startDate, 'start_date');
  const end = parseDay(request.endDate, 'end_date');
  if (end <= start) throw new SipRequestInvalid('end_date must be after start_date');
  if (daysBetween(start, end) > MAX_SIP_YEARS * 366) throw new SipRequestInvalid(`SIP window cannot exceed ${MAX_SIP_YEARS} years`);

  const loaded = await loadCloses(deps, request.accountId, request.symbol, request.exchange, start, end);
  const costs = costsOf(request);
  const options: SipOptions = { frequency: request.frequency, dayOfMonth: request.dayOfMonth, stepUpPercent: request.stepUpPercent, costs };
  const amount = dec(request.amount);
  let result: SipResult;
  try {
    result = runSip(loaded.prices, request.symbol, start, end, amount, options);
  } catch (error) {
    if (error instanceof SipRunError || error instanceof SipScheduleError) throw new SipDataUnusable(error.message);
    throw error;
  }
  const curve = valueCurve(result);
  const runner = new SipGridRunner(loaded.prices, options, pause);
  const money = (value: Decimal) => toRoundedNumber(value, 2);
  const count = result.installments.length;

  const payload = {
    status: 'success' as const,
    request: {
      symbol: request.symbol,
      exchange: request.exchange,
      start_date: start,
      end_date: end,
      amount: request.amount,
      frequency: request.frequency,
      day_of_month: request.dayOfMonth,
      step_up_percent: request.stepUpPercent,
      source: request.source,
    },
    headline: headline(result),
    underwater: underwater(curve),
    drawdown: drawdown(curve),
    yearly: yearlyBreakdown(curve),
    monthly_heatmap: monthlyValueHeatmap(curve),
    lumpsum: lumpsumComparison(loaded.prices, result, start, end, costs),
    charges: {
      total: money(result.charges),
      per_installment: Math.round((toNumber(result.charges) / Math.max(count, 1)) * 100) / 100,
      // The share of the money paid in that went to charges rather than shares.
      drag: cmp(result.totalInvested, ZERO) !== 0 ? Math.round((toNumber(result.charges) / toNumber(result.totalInvested)) * 1e6) / 1e6 : null,
      breakdown: Object.fromEntries(Object.entries(result.chargeBreakdown).map(([key, value]) => [key, money(value)])),
      model: request.costModel,
      exchange: request.costExchange,
    },
    frequency_comparison: await frequencyComparison(runner, start, end, request.amount),
    curves: {
      value: curve.dates.map((date, index) => ({ date, value: money(curve.value[index] as Decimal) })),
      invested: curve.dates.map((date, index) => ({ date, value: money(curve.invested[index] as Decimal) })),
    },
    installments: result.installments.map((each) => ({ requested: each.requested, executed: each.executed, amount: money(each.amount) })),
    warnings: loaded.warnings,
    ...(request.includeGrids ? await grids(runner, request, start, end, amount) : {}),
    ...(request.benchmark ? { benchmark: await benchmarkSip(deps, request, request.benchmark, start, end, amount, options, result) } : {}),
  };
  return payload;
}

async function grids(runner: SipGridRunner, request: SipBacktestRequest, start: IsoDate, end: IsoDate, amount: Decimal) {
  const rolling = await rollingXirr(runner, amount);
  const startDates = await startDateHeatmap(runner, amount);
  const crisisRows = await crisisSipAnalysis(runner, amount);
  const monthlyDay = request.frequency === 'monthly' || request.frequency === 'quarterly';
  return {
    rolling_xirr: rolling,
    start_date_heatmap: startDates,
    crisis: { summary: crisisSummary(crisisRows), periods: crisisRows },
    sip_date_heatmap: monthlyDay ? await sipDateHeatmap(runner, start, end, amount) : null,
  };
}

/** The same schedule into an index: its own result, or why it could not be run (a benchmark is never fatal). */
async function benchmarkSip(
  deps: SipBacktestDeps,
  request: SipBacktestRequest,
  symbol: string,
  start: IsoDate,
  end: IsoDate,
  amount: Decimal,
  options: SipOptions,
  own: SipResult,
) {
  const exchange = request.benchmarkExchange;
  let bench: SipResult;
  try {
    const loaded = await loadCloses(deps, request.accountId, symbol, exchange, start, end);
    bench = runSip(loaded.prices, symbol, start, end, amount, options);
  } catch (error) {
    if (!(error instanceof SipDataUnusable || error instanceof SipRunError || error instanceof SipScheduleError || error instanceof DomainError)) throw error;
    return { symbol, exchange, error: error.message };
  }
  const benchXirr = xirrOrNull(bench.cashFlows);
  const ownXirr = xirrOrNull(own.cashFlows);
  const curve = valueCurve(bench);
  return {
    symbol,
    exchange,
    headline: headline(bench),
    xirr: benchXirr,
    excess_xirr: ownXirr !== null && benchXirr !== null ? ownXirr - benchXirr : null,
    beat_benchmark: ownXirr !== null && benchXirr !== null && ownXirr > benchXirr,
    curve: curve.dates.map((date, index) => ({ date, value: toRoundedNumber(curve.value[index] as Decimal, 2) })),
  };
}

/** OpenAlgo's charge model of a request: the Indian delivery schedule (with its overrides) or flat bps. */
function costsOf(request: SipBacktestRequest): SipCosts {
  if (request.costModel === 'flat_bps') return flatBpsCosts(request.costBps, request.slippage);
  const overrides: Record<string, Readonly<Record<string, unknown>>> = { ...request.charges };
  // A brokerage typed into the simple fields wins over the preset unless the charge panel sets one.
  if ((request.brokeragePercent || request.brokerageFlat) && !('brokerage' in overrides)) {
    overrides.brokerage = { flat: request.brokerageFlat, rate: request.brokeragePercent / 100, cap: 20 };
  }
  let schedule;
  try {
    schedule = withOverrides(indiaDelivery(request.costExchange), overrides);
  } catch (error) {
    if (error instanceof RangeError) throw new SipRequestInvalid(error.message);
    throw error;
  }
  return scheduleCosts({ ...schedule, slippage: request.slippage, taxRate: request.gstRate ?? schedule.taxRate });
}

interface LoadedCloses {
  prices: CloseSeries;
  /** Moves that look like unadjusted corporate actions, as OpenAlgo words them: `('2024-03-01', -0.5)`. */
  warnings: string[];
}

/** The sessions' closes of [start, end] from the account's broker, with OpenAlgo's refusals of prices a SIP cannot use. */
async function loadCloses(deps: SipBacktestDeps, accountId: string, symbol: string, exchange: Exchange, start: IsoDate, end: IsoDate): Promise<LoadedCloses> {
  let prices: CloseSeries;
  try {
    prices = await loadDailyCloses(deps.trading, accountId, symbol, exchange, start, end);
  } catch (error) {
    if (error instanceof DailyClosesUnavailable) throw new SipDataUnusable(`${symbol} (${exchange}): history request failed [400] ${error.message}`);
    throw error;
  }
  const { dates, closes } = prices;
  if (dates.length < 2) {
    throw new SipDataUnusable(
      `only ${dates.length} session(s) are common to all 1 symbols between ${start} and ${end}; ` +
        'a shorter window or a symbol with a later listing date is likely',
    );
  }
  if (closes.some((close) => cmp(close, ZERO) <= 0)) throw new SipDataUnusable('price matrix must contain only positive finite closes');
  const warnings: string[] = [];
  for (let index = 1; index < closes.length; index += 1) {
    const move = toNumber(closes[index] as Decimal) / toNumber(closes[index - 1] as Decimal) - 1;
    if (Math.abs(move) > SPLIT_ARTIFACT_MOVE) warnings.push(`('${dates[index]}', ${Number.isInteger(move) ? move.toFixed(1) : String(move)})`);
  }
  return { prices, warnings };
}

/** A real `YYYY-MM-DD` day; OpenAlgo's message otherwise. */
function parseDay(text: string, field: string): IsoDate {
  const day = text.slice(0, 10);
  if (!isCalendarDay(day)) throw new SipRequestInvalid(`${field} must be YYYY-MM-DD, got '${text}'`);
  return day;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
