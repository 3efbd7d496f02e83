// JSON shapes of the backtest API (`/api/backtest`): one TypeBox schema per request and answer, which is at once the
// validation, the TypeScript type and the OpenAPI entry.
import { Type } from 'typebox';
import { QueryInteger, QueryObject, StoredText } from '../admin/schemas.js';

const Timestamp = (description: string) => Type.String({ format: 'date-time', description });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

const StrategyName = StoredText({ maxLength: 64, description: 'A built-in (`sma_cross`, `ema_cross`, `rsi_reversion`, `supertrend`, `bollinger_breakout`), a file of the data folder\'s `strategies/`, or one of your uploads' });
const ParamValue = Type.Union([Type.Number(), Type.Boolean()]);
const Params = Type.Record(Type.String({ maxLength: 64 }), ParamValue, { description: 'Parameter values by name; the others keep their defaults' });

const DateText = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})?)?$',
  description: 'A UTC date (`2010-01-04`) or instant (`2010-01-04T09:15:00Z`)',
});

export const DataSource = Type.Union(
  [
    Type.Object(
      {
        source: Type.Literal('bundled'),
        name: Type.String({ maxLength: 16, description: 'GOOG (daily), EURUSD (hourly) or BTCUSD (monthly): backtesting.py\'s test data' }),
      },
      { additionalProperties: false, title: 'Bundled series' },
    ),
    Type.Object(
      {
        source: Type.Literal('csv'),
        csv: Type.String({ minLength: 1, description: 'The CSV text: a date/time column, then Open, High, Low, Close and Volume' }),
        name: Type.Optional(Type.String({ maxLength: 128, description: 'A name to remember it by' })),
      },
      { additionalProperties: false, title: 'CSV' },
    ),
    Type.Object(
      {
        source: Type.Literal('history'),
        symbol: Type.String({ minLength: 1, maxLength: 64 }),
        exchange: Type.String({ minLength: 1, maxLength: 16, description: 'NSE, BSE, NFO, MCX, …' }),
        interval: Type.String({ minLength: 1, maxLength: 8, description: 'OpenAlgo\'s interval words: 1m, 5m, 15m, 1h, D, W, M' }),
      },
      { additionalProperties: false, title: 'Exchange history' },
    ),
  ],
  { description: 'Where the bars come from' },
);

const ExchangeFill = Type.Object(
  {
    product: Type.Optional(Type.Union([Type.Literal('CNC'), Type.Literal('MIS'), Type.Literal('NRML')], { default: 'CNC' })),
    charges: Type.Optional(Type.Boolean({ default: true, description: 'Deduct the Indian charges (brokerage, STT, exchange, SEBI, stamp, GST)' })),
    lot_size: Type.Optional(Type.Integer({ minimum: 1, description: 'Defaults to the instrument\'s (1 for CSV and bundled data)' })),
    tick_size: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Defaults to the instrument\'s (0.01 for CSV and bundled data)' })),
  },
  { additionalProperties: false, description: 'How the `exchange` fill model trades the instrument' },
);

const RunFields = {
  strategy_name: StrategyName,
  data: DataSource,
  start_date: Type.Optional(DateText),
  end_date: Type.Optional({ ...DateText, description: 'Last day included (a date) or the instant the bars end before' }),
  initial_capital: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1e15, default: 10_000 })),
  commission: Type.Optional(Type.Number({ minimum: -0.1, exclusiveMaximum: 0.1, default: 0, description: 'A fraction of traded value, paid on entry and on exit' })),
  spread: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 0.1, default: 0 })),
  margin: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 1, description: '1: no leverage; 0.02: 50:1' })),
  trade_on_close: Type.Optional(Type.Boolean({ default: false })),
  hedging: Type.Optional(Type.Boolean({ default: false })),
  exclusive_orders: Type.Optional(Type.Boolean({ default: false })),
  finalize_trades: Type.Optional(Type.Boolean({ default: false, description: 'Close the trades still open after the last bar so they count' })),
  fill_model: Type.Optional(Type.Union([Type.Literal('reference'), Type.Literal('exchange')], { default: 'reference', description: '`reference`: backtesting.py\'s fills, exactly; `exchange`: the paper exchange\'s rules (lots, ticks, margin by product, charges, MIS square-off)' })),
  exchange_fill: Type.Optional(ExchangeFill),
  async: Type.Optional(Type.Boolean({ default: false, description: 'Answer 202 with the job at once instead of waiting up to a second' })),
};

export const RunBody = Type.Object({ ...RunFields, params: Type.Optional(Params) }, { additionalProperties: false });

const RangeSpec = Type.Object(
  { min: Type.Optional(Type.Number()), max: Type.Optional(Type.Number()), step: Type.Optional(Type.Number({ exclusiveMinimum: 0 })) },
  { additionalProperties: false },
);
const Comparison = Type.Object(
  Object.fromEntries(['lt', 'lte', 'gt', 'gte', 'eq', 'ne'].map((op) => [op, Type.Optional(Type.Union([Type.Number(), Type.Boolean(), Type.String({ maxLength: 64 })]))])),
  { additionalProperties: false },
);

export const OptimizeBody = Type.Object(
  {
    ...RunFields,
    params: Type.Optional({ ...Params, description: 'Values of the parameters not swept' }),
    grid: Type.Optional(
      Type.Record(Type.String({ maxLength: 64 }), Type.Union([Type.Array(ParamValue, { minItems: 1, maxItems: 10_000 }), RangeSpec]), {
        description: 'Per swept parameter a list of values or {min, max, step}; empty or absent: every parameter with a declared range',
      }),
    ),
    constraint: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Comparison, { description: 'E.g. {"fast": {"lt": "slow"}}: comparisons with a value or another parameter' })),
    method: Type.Optional(Type.Union([Type.Literal('grid'), Type.Literal('random')], { default: 'grid' })),
    samples: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'Random search: parameter sets drawn' })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, description: 'Random search: the seed, for a repeatable draw' })),
    maximize: Type.Optional(Type.String({ maxLength: 64, default: 'Equity Final [$]', description: 'The statistic to maximise (a report name)' })),
    top: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 20, description: 'Rows answered, best first' })),
  },
  { additionalProperties: false },
);

export const StrategyUpload = Type.Object(
  { source: Type.String({ minLength: 1, maxLength: 1_000_000, description: 'The module\'s TypeScript (or JavaScript) source; its default export is the strategy' }) },
  { additionalProperties: false },
);

const ParamSpecResource = Type.Object({
  name: Type.String(),
  type: Type.Union([Type.Literal('int'), Type.Literal('float'), Type.Literal('bool')]),
  default: ParamValue,
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  step: Type.Optional(Type.Number()),
  description: Type.Optional(Type.String()),
});

export const StrategyResource = Type.Object(
  {
    name: Type.String(),
    description: Type.String(),
    origin: Type.Union([Type.Literal('builtin'), Type.Literal('file'), Type.Literal('upload')]),
    params: Type.Array(ParamSpecResource),
  },
  { $id: 'BacktestStrategy' },
);

const StatisticValue = Type.Union([Type.Number(), Type.String(), Type.Null()]);
const StatisticsResource = Type.Record(Type.String(), StatisticValue, {
  description: 'backtesting.py\'s report under its names ("Return [%]", "Sharpe Ratio", "# Trades", …); durations in days, dates ISO, null where it has no value',
});

const StoredSourceResource = Type.Object(
  {
    source: Type.String({ description: 'bundled, csv or history' }),
    name: Type.Optional(Nullable(Type.String())),
    symbol: Type.Optional(Type.String()),
    exchange: Type.Optional(Type.String()),
    interval: Type.Optional(Type.String()),
  },
  { description: 'Where the bars came from (a CSV\'s text is not kept)' },
);

const RunSummaryFields = {
  id: Type.String(),
  strategy_name: Type.String(),
  params: Params,
  fill_model: Type.String(),
  data: StoredSourceResource,
  start_date: Nullable(Type.String()),
  end_date: Nullable(Type.String()),
  initial_capital: Type.Number(),
  commission: Type.Number(),
  settings: Type.Object({
    spread: Type.Number(),
    margin: Type.Number(),
    trade_on_close: Type.Boolean(),
    hedging: Type.Boolean(),
    exclusive_orders: Type.Boolean(),
    finalize_trades: Type.Boolean(),
  }),
  bar_count: Type.Integer(),
  created_at: Timestamp('When the run finished'),
  statistics: StatisticsResource,
  sharpe_ratio: StatisticValue,
  max_drawdown_pct: { ...StatisticValue, description: 'Max. Drawdown [%] (negative, as the report has it)' },
  total_return_pct: StatisticValue,
  total_trades: StatisticValue,
  win_rate: { ...StatisticValue, description: 'Win Rate [%]' },
  fill_report: Type.Union([Type.Record(Type.String(), Type.Number()), Type.Null()], {
    description:
      'The `exchange` model\'s orders refused (`refused_orders`, and by reason: `refused_insufficient_margin`, `refused_cnc_short`, `refused_after_square_off`, `refused_less_than_a_lot`), `square_offs` and `charges` paid; null for `reference`',
  }),
};

export const RunSummaryResource = Type.Object(RunSummaryFields, { $id: 'BacktestRunSummary' });

export const RunResource = Type.Object(
  {
    ...RunSummaryFields,
    equity: Type.Array(
      Type.Object({ time: Type.String(), equity: Type.Number(), drawdown_pct: Type.Number() }),
      { description: 'The equity at each bar\'s close (at most 5,000 points: over more bars, the last of each bucket with its deepest drawdown)' },
    ),
    trades: Type.Array(
      Type.Object({
        size: Type.Number(),
        entry_bar: Type.Integer(),
        exit_bar: Type.Integer(),
        entry_time: Type.String(),
        exit_time: Type.String(),
        entry_price: Type.Number(),
        exit_price: Type.Number(),
        pnl: Type.Number(),
        return_pct: Type.Number(),
        commissions: Type.Number(),
        tag: Nullable(Type.String()),
      }),
    ),
  },
  { $id: 'BacktestRun' },
);

const SweepRowResource = Type.Object({ params: Params, statistics: Type.Record(Type.String(), StatisticValue) });

export const SweepResource = Type.Object(
  {
    maximize: Type.String(),
    combinations: Type.Integer({ description: 'Parameter sets run' }),
    best: Type.Union([SweepRowResource, Type.Null()]),
    rows: Type.Array(SweepRowResource, { description: 'Best first' }),
    heatmap: Type.Union([
      Type.Object({
        statistic: Type.String(),
        x: Type.Object({ name: Type.String(), values: Type.Array(ParamValue) }),
        y: Type.Object({ name: Type.String(), values: Type.Array(ParamValue) }),
        z: Type.Array(Type.Array(Type.Union([Type.Number(), Type.Null()])), { description: 'z[y][x]' }),
      }),
      Type.Null(),
    ]),
  },
  { $id: 'BacktestSweep' },
);

export const JobResource = Type.Object(
  {
    job_id: Type.String(),
    kind: Type.Union([Type.Literal('run'), Type.Literal('sweep')]),
    status: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('cancelled')]),
    progress: Type.Number({ minimum: 0, maximum: 1 }),
    created_at: Timestamp('When the job started'),
    finished_at: Nullable(Type.String({ format: 'date-time' })),
    result: Type.Optional(Type.Union([RunResource, SweepResource])),
    error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
  },
  { $id: 'BacktestJob' },
);

export const HistoryQuery = QueryObject({
  strategy: Type.Optional(StoredText({ maxLength: 64, description: 'Only the runs of this strategy' })),
  limit: Type.Optional(QueryInteger({ minimum: 1, maximum: 100, default: 20, description: 'Runs answered, newest first' })),
});

export const IdParams = Type.Object({ id: StoredText({ maxLength: 64 }) });
export const NameParams = Type.Object({ name: StoredText({ maxLength: 64 }) });
