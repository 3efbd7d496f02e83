// The tear sheet of a portfolio backtest as one self-contained HTML page: the headline metrics, the equity curve
// against the benchmark, the yearly and monthly returns, the holdings and the costs, all from the backtest's report.
// OpenAlgo renders openstatz's dashboard here; this is Ordergate's own page over the same figures.
import type { ReportValue } from '../../core/portfolio-backtest.js';

type Report = Record<string, ReportValue>;
type Row = Record<string, ReportValue>;

export function tearsheetHtml(report: Report, title = 'Portfolio Tearsheet'): string {
  const meta = (report.meta ?? {}) as Row;
  const metrics = (report.metrics ?? {}) as Row;
  const series = (report.series ?? {}) as Row;
  const monthly = series.monthly_returns as { years: string[]; columns: string[]; values: (number | null)[][] } | undefined;
  const yearly = (series.yearly_returns ?? []) as Row[];
  const items = (report.items ?? []) as Row[];
  const costs = (report.costs ?? {}) as Row;
  const sections = [
    `<h1>${escape(title)}</h1>`,
    `<p>${escape(String(meta.start))} to ${escape(String(meta.end))}, ${escape(String(meta.sessions))} sessions; rebalancing ${escape(String(meta.rule))}` +
      `${meta.benchmark ? `; benchmark ${escape(String(meta.benchmark))}` : ''}. Price returns (dividends not included).</p>`,
    '<h2>Equity</h2>',
    equitySvg(report.equity as { value: number }[], report.benchmark_equity as { value: number }[]),
    '<h2>Key metrics</h2>',
    table(['Metric', 'Value'], Object.entries(metrics).map(([key, value]) => [label(key), formatted(key, value)])),
    '<h2>Yearly returns</h2>',
    table(
      yearly[0] && 'benchmark' in yearly[0] ? ['Year', 'Portfolio', 'Benchmark', 'Difference'] : ['Year', 'Portfolio'],
      yearly.map((row) => ['year', 'portfolio', 'benchmark', 'difference'].filter((key) => key in row).map((key, i) => (i === 0 ? String(row[key]) : percent(row[key])))),
    ),
  ];
  if (monthly) {
    sections.push('<h2>Monthly returns</h2>', table(['Year', ...monthly.columns], monthly.years.map((year, i) => [year, ...(monthly.values[i] ?? []).map(percent)])));
  }
  sections.push(
    '<h2>Holdings</h2>',
    table(
      ['Symbol', 'Target weight', 'Final weight', 'Net P&L', 'Contribution', 'Return'],
      items.map((row) => [String(row.symbol), percent(row.weight_target), percent(row.weight_final), number(row.net_pnl), percent(row.contribution_pct), percent(row.symbol_return)]),
    ),
    '<h2>Costs</h2>',
    table(['Line', 'Amount'], Object.entries(costs).map(([key, value]) => [label(key), typeof value === 'number' ? number(value) : escape(String(value))])),
  );
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title><style>${STYLE}</style></head>` +
    `<body>${sections.join('\n')}</body></html>`
  );
}

const STYLE =
  'body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#222}table{border-collapse:collapse;margin:.5rem 0 1.5rem}' +
  'td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:right}th:first-child,td:first-child{text-align:left}h2{margin-top:2rem}';

/** Ratios shown as they are; every other metric, a return, as a percentage. */
const RATIOS = new Set(['sharpe', 'sortino', 'calmar', 'ulcer_index', 'recovery_factor', 'tail_ratio', 'skew', 'kurtosis', 'beta', 'information_ratio', 'up_capture', 'down_capture']);

function formatted(key: string, value: ReportValue): string {
  return RATIOS.has(key) ? number(value) : percent(value);
}

function percent(value: ReportValue | undefined): string {
  return typeof value === 'number' ? `${(value * 100).toFixed(2)}%` : '–';
}

function number(value: ReportValue | undefined): string {
  return typeof value === 'number' ? value.toFixed(2) : '–';
}

function label(key: string): string {
  return escape(key.replace(/_/g, ' '));
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = (tag: string, row: readonly string[]) => `<tr>${row.map((cell) => `<${tag}>${cell}</${tag}>`).join('')}</tr>`;
  return `<table><thead>${cells('th', head.map(escape))}</thead><tbody>${rows.map((row) => cells('td', row)).join('')}</tbody></table>`;
}

/** The equity (and benchmark) curves as polylines scaled into one box. */
function equitySvg(equity: readonly { value: number }[] = [], benchmark: readonly { value: number }[] = []): string {
  const all = [...equity, ...benchmark].map((point) => point.value);
  if (all.length === 0) return '<p>No equity.</p>';
  const low = Math.min(...all);
  const high = Math.max(...all);
  const width = 900;
  const height = 240;
  const line = (points: readonly { value: number }[], colour: string): string => {
    if (points.length < 2) return '';
    const xy = points.map((point, i) => `${((i / (points.length - 1)) * width).toFixed(1)},${(height - ((point.value - low) / (high - low || 1)) * height).toFixed(1)}`);
    return `<polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${xy.join(' ')}"/>`;
  };
  return `<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Equity curve">${line(benchmark, '#999')}${line(equity, '#1f6feb')}</svg>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
