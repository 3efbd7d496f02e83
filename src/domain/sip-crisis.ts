// A SIP begun into each market crisis against one begun when it ended, both held to the end of the data, as OpenAlgo's
// sip/crisis.py measures it over the Indian stress windows of its portfolio/crisis.py (INDIA_CRISES, data not code).
import { type Decimal, toNumber } from './decimal.js';
import { type IsoDate, daysBetween } from './market-calendar.js';
import { finite } from './sip-analytics.js';
import { windowOf } from './sip-engine.js';
import type { SipGridRunner } from './sip-grids.js';
import { xirrOrNull } from './sip-xirr.js';

export interface CrisisPeriod {
  readonly key: string;
  readonly label: string;
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly note: string;
  /** `india` for a domestic event, `global` for one that arrived from outside. */
  readonly scope: 'india' | 'global';
}

/** A window shorter than this after the crisis leaves too few installments to mean anything. */
export const MIN_SIP_DAYS = 120;

const p = (key: string, label: string, start: IsoDate, end: IsoDate, note: string, scope: 'india' | 'global'): CrisisPeriod => ({ key, label, start, end, note, scope });

/** OpenAlgo's INDIA_CRISES, in its order. */
export const INDIA_CRISES: readonly CrisisPeriod[] = [
  p('bear_1995', '1995-96 Bear Market', '1995-01-02', '1996-01-31', 'The long slide after the 1994 peak', 'india'),
  p('asian_crisis', 'Asian Financial Crisis', '1997-07-02', '1998-09-30', 'Baht float and the contagion that followed', 'global'),
  p('pokhran', 'Pokhran-II Sanctions', '1998-05-11', '1998-06-30', 'Nuclear tests and the sanctions that followed', 'india'),
  p('russia_ltcm', 'Russia Default / LTCM', '1998-08-03', '1998-10-30', 'Sovereign default and a hedge-fund collapse', 'global'),
  p('kargil', 'Kargil Conflict', '1999-05-03', '1999-07-26', 'Border conflict; the market recovered before it ended', 'india'),
  p('dotcom', 'Dot-com Crash', '2000-02-14', '2001-09-21', 'Global technology unwind', 'global'),
  p('gfc', 'Global Financial Crisis', '2008-01-08', '2009-03-09', 'Nifty fell around 60% peak to trough', 'global'),
  p('gfc_recovery', 'GFC Recovery', '2009-03-10', '2009-12-31', 'The snap-back off the March 2009 low', 'global'),
  p('nine_eleven', '9/11 Attacks', '2001-09-11', '2001-09-21', 'Markets shut worldwide; a sharp risk-off on reopening', 'global'),
  p('may_2006', 'May 2006 EM Correction', '2006-05-11', '2006-06-14', 'Emerging markets sold off about 30% in a month', 'global'),
  p('subprime_2007', '2007 Subprime Tremor', '2007-07-24', '2007-08-17', 'The first crack before the crisis proper', 'global'),
  p('euro_debt', 'European Debt Crisis', '2011-07-01', '2011-12-20', 'Sovereign contagion and a global risk-off', 'global'),
  p('taper_tantrum', 'Taper Tantrum', '2013-05-22', '2013-08-28', 'Fed taper signal; the rupee hit a record low', 'global'),
  p('china_deval', 'China Devaluation', '2015-08-11', '2016-02-11', 'Yuan devaluation into the early-2016 low', 'global'),
  p('brexit', 'Brexit Vote', '2016-06-23', '2016-06-30', 'Referendum shock', 'global'),
  p('volmageddon', 'Volmageddon', '2018-02-01', '2018-02-09', 'Short-volatility unwind', 'global'),
  p('q4_2018', 'Q4 2018 Selloff', '2018-10-01', '2018-12-26', 'Global growth scare and tightening', 'global'),
  p('covid_crash', 'COVID Crash', '2020-02-20', '2020-03-23', 'Fastest bear market on record', 'global'),
  p('covid_recovery', 'COVID Recovery', '2020-03-24', '2020-12-31', 'Liquidity-driven rebound', 'global'),
  p('rate_shock_2022', '2022 Rate Shock', '2022-01-17', '2022-06-17', 'Global tightening and the Ukraine invasion', 'global'),
  p('svb', 'SVB / Banking Crisis', '2023-03-08', '2023-03-24', 'US regional bank failures', 'global'),
  p('japan_carry', 'Japan Carry Unwind', '2024-07-31', '2024-08-07', 'Yen surge forced a global deleveraging', 'global'),
  p('tariff_2025', '2025 Tariff Shock', '2025-04-02', '2025-04-30', 'Global tariff escalation', 'global'),
  p('ketan_parekh', 'Ketan Parekh / UTI Crisis', '2001-03-01', '2001-04-30', 'Broker default and the freezing of US-64', 'india'),
  p('election_2004', '2004 Election Crash', '2004-05-14', '2004-05-28', '17 May 2004: trading halted twice in one session', 'india'),
  p('satyam', 'Satyam Scandal', '2009-01-07', '2009-01-30', 'Corporate governance shock', 'india'),
  p('demonetisation', 'Demonetisation', '2016-11-08', '2016-12-26', 'Overnight withdrawal of 500 and 1000 rupee notes', 'india'),
  p('ilfs', 'IL&FS / NBFC Crisis', '2018-09-01', '2018-10-26', 'Credit freeze across non-bank lenders', 'india'),
  p('yes_bank', 'Yes Bank Moratorium', '2020-03-05', '2020-03-13', 'RBI moratorium on a major private bank', 'india'),
  p('adani', 'Adani / Hindenburg', '2023-01-24', '2023-02-28', 'Index-heavy single-group drawdown', 'india'),
  p('election_2024', '2024 Election Shock', '2024-06-03', '2024-06-05', 'Counting-day reversal on an unexpected margin', 'india'),
  p('fii_selloff_2024', 'Oct 2024 FII Selloff', '2024-09-27', '2024-11-21', 'Sustained foreign outflows', 'india'),
];

async function variant(runner: SipGridRunner, start: IsoDate, end: IsoDate, amount: Decimal) {
  const result = await runner.run(start, end, amount);
  if (!result) return null;
  const invested = toNumber(result.totalInvested);
  const finalValue = toNumber(result.finalValue);
  return {
    start,
    invested: finite(invested),
    final_value: finite(finalValue),
    installments: result.installments.length,
    xirr: finite(xirrOrNull(result.cashFlows)),
    multiple: invested ? finite(finalValue / invested) : null,
    absolute_return: invested ? finite((finalValue - invested) / invested) : null,
    average_cost: finite(toNumber(result.averageCost)),
  };
}

export type CrisisRow = NonNullable<Awaited<ReturnType<typeof crisisRow>>>;

async function crisisRow(runner: SipGridRunner, period: CrisisPeriod, last: IsoDate, amount: Decimal) {
  const intoIt = await variant(runner, period.start, last, amount);
  const waited = await variant(runner, period.end, last, amount);
  if (!intoIt || !waited) return null;
  const window = windowOf(runner.prices, period.start, period.end);
  const firstClose = window.closes[0];
  let move: number | null = null;
  let trough: number | null = null;
  if (firstClose !== undefined && window.closes.length >= 2) {
    const base = toNumber(firstClose);
    move = toNumber(window.closes[window.closes.length - 1] as Decimal) / base - 1;
    trough = toNumber(window.closes.reduce((low, close) => (close < low ? close : low))) / base - 1;
  }
  const advantage = intoIt.xirr !== null && waited.xirr !== null ? intoIt.xirr - waited.xirr : null;
  return {
    key: period.key,
    label: period.label,
    note: period.note,
    scope: period.scope,
    crisis_start: period.start,
    crisis_end: period.end,
    market_move: finite(move),
    market_trough: finite(trough),
    started_into_it: intoIt,
    waited_for_the_end: waited,
    // Positive: starting into the crisis beat waiting for its end.
    xirr_advantage: finite(advantage),
    starting_early_won: advantage !== null && advantage > 0,
  };
}

/** Each crisis the data covers whole, with at least MIN_SIP_DAYS after it: started into it against waited, newest first. */
export async function crisisSipAnalysis(runner: SipGridRunner, amount: Decimal, periods: readonly CrisisPeriod[] = INDIA_CRISES): Promise<CrisisRow[]> {
  const { first, last } = runner;
  if (first === undefined || last === undefined) return [];
  const rows: CrisisRow[] = [];
  for (const period of periods) {
    if (period.start < first || period.end > last || daysBetween(period.end, last) < MIN_SIP_DAYS) continue;
    const row = await crisisRow(runner, period, last, amount);
    if (row) rows.push(row);
  }
  return rows.sort((a, b) => (a.crisis_start < b.crisis_start ? 1 : a.crisis_start > b.crisis_start ? -1 : 0));
}

/** How often starting into a crisis beat waiting, and the median XIRR advantage. */
export function crisisSummary(rows: readonly CrisisRow[]) {
  const scored = rows.filter((row) => row.xirr_advantage !== null);
  if (scored.length === 0) return { crises: 0, early_wins: 0, share: null, median_advantage: null };
  const wins = scored.filter((row) => row.starting_early_won).length;
  const advantages = scored.map((row) => row.xirr_advantage as number).sort((a, b) => a - b);
  const mid = Math.floor(advantages.length / 2);
  const median = advantages.length % 2 ? (advantages[mid] as number) : ((advantages[mid - 1] as number) + (advantages[mid] as number)) / 2;
  return { crises: scored.length, early_wins: wins, share: finite(wins / scored.length), median_advantage: finite(median) };
}
