// Schemas of the v1 SIP endpoints (OpenAlgo's restx_api/sip.py): request validation with marshmallow's messages, types
// and OpenAPI. The answer's analysis blocks are documented by their keys; their rows are described, not enumerated.
import { type Static, type TSchema, Type } from 'typebox';
import { BENCHMARK_EXCHANGES, SIP_EXCHANGES } from '../../core/sip-backtest.js';
import { MAX_DAY_OF_MONTH, SIP_FREQUENCIES } from '../../domain/sip-schedule.js';
import { apikey, requestObject, stringEnum, success } from './schemas.js';
import { ERROR_MESSAGE_KEYWORD } from './validation-errors.js';

const number = (minimum: number, maximum: number, description: string, extra: Record<string, unknown> = {}) =>
  Type.Number({ minimum, maximum, description, ...extra });
const day = (description: string) =>
  Type.String({ minLength: 10, maxLength: 10, [ERROR_MESSAGE_KEYWORD]: 'Length must be 10.', description: `${description} \`YYYY-MM-DD\`.` });
const nullableNumber = (minimum: number, maximum: number, description: string) =>
  Type.Unsafe<number | null>({ type: ['number', 'null'], minimum, maximum, default: null, description });

export const SipBacktestBody = requestObject(
  {
    apikey: apikey(),
    symbol: Type.String({ minLength: 1, maxLength: 64, description: 'Equity or ETF symbol, e.g. `INFY`.' }),
    exchange: stringEnum(SIP_EXCHANGES, { default: 'NSE', description: '`NSE` (default) or `BSE`: cash equity only.' }),
    start_date: day('The day the SIP starts; the first installment lands on it or the next session after it.'),
    end_date: day('The last day of the SIP; the final value is taken at its last session.'),
    amount: number(1, 10_000_000, 'The installment before any step-up, in rupees (1 to 1,00,00,000).', {
      [ERROR_MESSAGE_KEYWORD]: 'Must be greater than or equal to 1 and less than or equal to 10000000.0.',
    }),
    frequency: stringEnum(SIP_FREQUENCIES, { default: 'monthly', description: '`monthly` (default), `fortnightly`, `weekly` or `quarterly`.' }),
    day_of_month: Type.Integer({
      minimum: 1,
      maximum: MAX_DAY_OF_MONTH,
      default: 1,
      description: 'Day of the month of monthly and quarterly SIPs, 1 (default) to 28: later days do not exist in every month.',
    }),
    step_up_percent: number(0, 100, 'Annual increase of the installment, in percent, on each anniversary of the first one (default 0).', {
      default: 0,
      [ERROR_MESSAGE_KEYWORD]: 'Must be greater than or equal to 0 and less than or equal to 100.0.',
    }),
    brokerage_percent: number(0, 5, 'Brokerage in percent of each buy, capped at 20 rupees an order (`indian_equity` only).', { default: 0 }),
    brokerage_flat: number(0, 10_000, 'Flat brokerage per buy, in rupees (`indian_equity` only); replaces the percent.', { default: 0 }),
    cost_model: stringEnum(['indian_equity', 'flat_bps'], {
      default: 'indian_equity',
      description: '`indian_equity` (default): STT, exchange fee, SEBI fee, stamp duty, GST, brokerage; `flat_bps`: `cost_bps` + `slippage`.',
    }),
    cost_exchange: stringEnum(SIP_EXCHANGES, { default: 'NSE', description: "Whose exchange fee `indian_equity` charges: `NSE` (default) or `BSE`." }),
    charges: Type.Unsafe<Record<string, Record<string, unknown>> | null>({
      type: ['object', 'null'],
      default: null,
      propertyNames: { minLength: 1, maxLength: 32 },
      additionalProperties: { type: 'object' },
      description: 'Per-line overrides of `indian_equity`, e.g. `{"stt": {"rate": 0.00125}}` (`rate`, `flat`, `cap`); unknown lines are ignored.',
    }),
    gst_rate: nullableNumber(0, 1, 'GST on the taxed lines as a fraction (default 0.18).'),
    cost_bps: number(0, 1000, '`flat_bps`: charges in basis points of each buy.', { default: 0 }),
    slippage: number(0, 0.1, 'Execution gap as a fraction of each buy, counted with the charges.', { default: 0 }),
    benchmark: Type.Unsafe<string | null>({
      type: ['string', 'null'],
      maxLength: 64,
      default: null,
      description: 'An index to run the same schedule into, e.g. `NIFTY`; none by default.',
    }),
    benchmark_exchange: stringEnum(BENCHMARK_EXCHANGES, { default: 'NSE_INDEX', description: "The benchmark's exchange: `NSE_INDEX` (default), `BSE_INDEX` or `GLOBAL_INDEX`." }),
    source: stringEnum(['db', 'api'], {
      default: 'db',
      description: "`db` (default, OpenAlgo's local history) or `api` (the broker): both read the broker serving the account here.",
    }),
    include_grids: Type.Boolean({ default: true, description: 'Rolling XIRR, start-date and SIP-date heatmaps and crisis runs (default true): hundreds of simulations.' }),
  },
  { additionalProperties: false, description: 'A SIP into one symbol, and how to charge and compare it.' },
);
export type SipBacktestBody = Static<typeof SipBacktestBody>;

export const SipFrequenciesQuery = Type.Object({ apikey: apikey() });

export const SipFrequenciesResponse = Type.Object({
  status: success(),
  data: Type.Array(
    Type.Object({
      value: stringEnum(SIP_FREQUENCIES, { description: 'The `frequency` of a backtest request.' }),
      label: Type.String({ description: 'Its name for a dropdown.' }),
    }),
    { description: 'The frequencies a SIP may have, in OpenAlgo order.' },
  ),
});

const num = (description: string) => Type.Union([Type.Number(), Type.Null()], { description });
/** A block whose keys are OpenAlgo's; serialized as it is. */
const block = (description: string) => Type.Object({}, { additionalProperties: true, description });
const rows = (description: string) => Type.Array(Type.Object({}, { additionalProperties: true }), { description });
const nullable = (schema: TSchema, description: string) => Type.Union([schema, Type.Null()], { description });

const Headline = Type.Object(
  {
    invested: num('Money paid in.'),
    final_value: num('Shares at the last close plus uninvested cash.'),
    gain: num('final_value − invested.'),
    multiple: num('final_value ÷ invested.'),
    xirr: num('Annual rate (fraction) that zeroes the dated cash flows; null when undefined.'),
    absolute_return: num('gain ÷ invested.'),
    installments: Type.Integer({ description: 'Installments executed.' }),
    units: num('Whole shares bought.'),
    average_cost: num('Money spent on shares ÷ shares.'),
    average_price: num('Average close of the installment sessions.'),
    cost_advantage: num('(average_cost − average_price) ÷ average_price: negative is the rupee-cost-averaging effect.'),
    charges: num('Charges paid.'),
    cash: num('Money paid in that bought nothing yet.'),
    start: Type.String({ description: 'First session of the window.' }),
    end: Type.String({ description: 'Last session of the window.' }),
    years: num('Days between them ÷ 365.'),
  },
  { description: 'The numbers at the top of the page.' },
);

const DatedValues = Type.Array(Type.Object({ date: Type.String(), value: Type.Number() }), { description: 'Per session, rounded to 2 decimals.' });

export const SipBacktestResponse = Type.Object({
  status: success(),
  request: block('The request as run: symbol, exchange, start_date, end_date, amount, frequency, day_of_month, step_up_percent, source.'),
  headline: Headline,
  underwater: block('Sessions the value was below the money paid in, the longest streak, the worst shortfall.'),
  drawdown: block('max_drawdown, trough_date, recovery_sessions, recovered, and the drawdown curve per session.'),
  yearly: rows('Per calendar year: invested_during_year, invested_to_date, value, gain, change.'),
  monthly_heatmap: block('years × columns (Jan…Dec): the close-to-close market move with contributions removed.'),
  lumpsum: nullable(block('The same total invested on the first session.'), 'The same money invested at once; null when it cannot be run.'),
  charges: block('total, per_installment, drag (charges ÷ invested), breakdown per line, model, exchange.'),
  frequency_comparison: rows('The same yearly outlay paid weekly, fortnightly, monthly and quarterly.'),
  curves: Type.Object({ value: DatedValues, invested: DatedValues }, { description: 'Value and money paid in per session.' }),
  installments: Type.Array(
    Type.Object({ requested: Type.String(), executed: Type.String(), amount: Type.Number() }),
    { description: 'Each installment: the day asked for, the session it executed on, its amount.' },
  ),
  warnings: Type.Array(Type.String(), { description: "Daily moves beyond 35 % (an unadjusted split?), as `('YYYY-MM-DD', move)`." }),
  rolling_xirr: Type.Optional(rows('With grids: per window length (1, 3, 5, 7, 10 years) the XIRR of every window, and their spread.')),
  start_date_heatmap: Type.Optional(block('With grids: start month × holding period, XIRR in the cells.')),
  crisis: Type.Optional(block('With grids: summary, and per crisis the SIP started into it against the one started at its end.')),
  sip_date_heatmap: Type.Optional(nullable(block('XIRR per day of the month.'), 'With grids, monthly and quarterly SIPs: XIRR by day of the month.')),
  benchmark: Type.Optional(block('With a benchmark: the same SIP into the index (headline, xirr, excess_xirr, beat_benchmark, curve), or its error.')),
});
