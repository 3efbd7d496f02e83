// The layer rule of DESIGN §2 (.dependency-cruiser.mjs, run by `npm run lint`) proved able to fail: a small tree laid
// out like src/ with only downward imports (and the two allowances: the store port in api, the broker port in gateway)
// passes, and each kind of upward import is reported under its rule's name.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, format, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.mjs');

type Tree = Record<string, string>;

// Every layer, each importing only what §2 lets it import; `.js` suffixes name `.ts` files as in src/.
const DOWNWARD: Tree = {
  'src/domain/order.ts': `import { strict } from 'node:assert';\nexport type Side = 'BUY' | 'SELL';\nexport const check = strict;\n`,
  'src/exchange/matching.ts': `import type { Side } from '../domain/order.js';\nexport type Book = { side: Side };\n`,
  'src/brokers/broker.ts': `import type { Side } from '../domain/order.js';\nexport type Broker = { place(side: Side): void };\n`,
  'src/brokers/paper/paper-broker.ts': `import type { Book } from '../../exchange/matching.js';\nimport type { Broker } from '../broker.js';\nexport type PaperBroker = Broker & { book: Book };\n`,
  'src/store/store.ts': `import type { Side } from '../domain/order.js';\nexport type Store = { save(side: Side): void };\n`,
  'src/store/sqlite-store.ts': `import type { Store } from './store.js';\nexport type SqliteStore = Store;\n`,
  'src/core/trading.ts': `import type { Broker } from '../brokers/broker.js';\nimport type { Store } from '../store/store.js';\nexport type Trading = { broker: Broker; store: Store };\n`,
  'src/gateway/auth.ts': `import type { Trading } from '../core/trading.js';\nimport type { Store } from '../store/store.js';\nexport type Auth = { trading: Trading; store: Store };\n`,
  'src/gateway/latency-recorder.ts': `import type { Broker } from '../brokers/broker.js';\nexport type Timed = Broker;\n`,
  'src/config.ts': `export const RATE_LIMIT_GROUPS = ['orders'] as const;\nexport type CorsConfig = { origins: string[] };\n`,
  'src/api/server.ts': `import type { CorsConfig } from '../config.js';\nimport type { Auth } from '../gateway/auth.js';\nexport type Server = { auth: Auth; cors: CorsConfig };\n`,
  'src/api/admin/accounts.ts': `import type { Store } from '../../store/store.js';\nexport type Accounts = Store;\n`,
  'src/web/dashboard.ts': `export const title = 'Ordergate';\n`,
  'src/app.ts': `import type { PaperBroker } from './brokers/paper/paper-broker.js';\nimport type { SqliteStore } from './store/sqlite-store.js';\nimport type { Server } from './api/server.js';\nimport { RATE_LIMIT_GROUPS } from './config.js';\nexport type App = { broker: PaperBroker; store: SqliteStore; server: Server };\nexport const groups = RATE_LIMIT_GROUPS;\n`,
};

type Reported = { rule: string; from: string; to: string };

const folders: string[] = [];

afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

async function cruiseTree(tree: Tree): Promise<ICruiseResult> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'ordergate-layers-'));
  folders.push(folder);
  for (const [file, source] of Object.entries(tree)) {
    await mkdir(path.dirname(path.join(folder, file)), { recursive: true });
    await writeFile(path.join(folder, file), source);
  }
  const options: ICruiseOptions = await extractDepcruiseOptions(CONFIG);
  // The same tsconfig lint uses, so `./x.js` resolves to `./x.ts` here exactly as it does in src/.
  const tsConfig = extractTSConfig(path.join(ROOT, options.tsConfig?.fileName ?? 'tsconfig.json'));
  const { output } = await cruise(['src'], { ...options, baseDir: folder }, {}, { tsConfig });
  if (typeof output === 'string') throw new Error('dependency-cruiser answered text where a cruise result was asked for');
  return output;
}

function reported(result: ICruiseResult): Reported[] {
  return result.summary.violations.map((violation) => ({
    rule: violation.rule.name,
    from: violation.from,
    to: violation.to,
  }));
}

describe('the layer rule (.dependency-cruiser.mjs)', () => {
  it('passes a tree whose imports all point down, type-only and node built-in imports included', async () => {
    const result = await cruiseTree(DOWNWARD);

    expect(reported(result)).toEqual([]);
    expect(result.summary.totalCruised).toBe(15);
    expect(result.summary.totalDependenciesCruised).toBe(19);
    const unresolved = result.modules.flatMap((module) => module.dependencies.filter((dep) => dep.couldNotResolve));
    expect(unresolved).toEqual([]);
  });

  const upward: Array<{ rule: string; file: string; source: string; to: string }> = [
    {
      rule: 'domain-is-self-contained',
      file: 'src/domain/price.ts',
      source: `import type { Store } from '../store/store.js';\nexport type Price = Store;\n`,
      to: 'src/store/store.ts',
    },
    {
      rule: 'exchange-imports-domain-only',
      file: 'src/exchange/ledger.ts',
      source: `import type { Broker } from '../brokers/broker.js';\nexport type Ledger = Broker;\n`,
      to: 'src/brokers/broker.ts',
    },
    {
      rule: 'brokers-import-domain-and-exchange-only',
      file: 'src/brokers/resilient-broker.ts',
      source: `import type { Trading } from '../core/trading.js';\nexport type Resilient = Trading;\n`,
      to: 'src/core/trading.ts',
    },
    {
      rule: 'only-paper-adapter-imports-exchange',
      file: 'src/brokers/quote-cache.ts',
      source: `import type { Book } from '../exchange/matching.js';\nexport type QuoteCache = Book;\n`,
      to: 'src/exchange/matching.ts',
    },
    {
      rule: 'store-imports-domain-only',
      file: 'src/store/journal.ts',
      source: `import type { Broker } from '../brokers/broker.js';\nexport type Journal = Broker;\n`,
      to: 'src/brokers/broker.ts',
    },
    {
      rule: 'core-imports-domain-brokers-store-only',
      file: 'src/core/orders.ts',
      source: `import type { CorsConfig } from '../config.js';\nexport type Orders = CorsConfig;\n`,
      to: 'src/config.ts',
    },
    {
      rule: 'core-uses-broker-port-not-adapters',
      file: 'src/core/orders.ts',
      source: `import type { PaperBroker } from '../brokers/paper/paper-broker.js';\nexport type Orders = PaperBroker;\n`,
      to: 'src/brokers/paper/paper-broker.ts',
    },
    {
      rule: 'core-uses-store-port-only',
      file: 'src/core/orders.ts',
      source: `import type { SqliteStore } from '../store/sqlite-store.js';\nexport type Orders = SqliteStore;\n`,
      to: 'src/store/sqlite-store.ts',
    },
    {
      rule: 'gateway-imports-domain-core-store-brokers-only',
      file: 'src/gateway/latency.ts',
      source: `import type { Book } from '../exchange/matching.js';\nexport type Latency = Book;\n`,
      to: 'src/exchange/matching.ts',
    },
    {
      rule: 'gateway-uses-broker-port-not-adapters',
      file: 'src/gateway/latency.ts',
      source: `import type { PaperBroker } from '../brokers/paper/paper-broker.js';\nexport type Latency = PaperBroker;\n`,
      to: 'src/brokers/paper/paper-broker.ts',
    },
    {
      rule: 'api-imports-domain-core-gateway-store-only',
      file: 'src/api/traffic.ts',
      source: `import type { Broker } from '../brokers/broker.js';\nexport type Traffic = Broker;\n`,
      to: 'src/brokers/broker.ts',
    },
    {
      rule: 'api-uses-store-port-only',
      file: 'src/api/traffic.ts',
      source: `import type { SqliteStore } from '../store/sqlite-store.js';\nexport type Traffic = SqliteStore;\n`,
      to: 'src/store/sqlite-store.ts',
    },
    {
      rule: 'config-types-only',
      file: 'src/gateway/rate-limits.ts',
      source: `import { RATE_LIMIT_GROUPS } from '../config.js';\nexport const groups = RATE_LIMIT_GROUPS;\n`,
      to: 'src/config.ts',
    },
    {
      rule: 'web-imports-nothing-from-src',
      file: 'src/web/orders-page.ts',
      source: `import type { Side } from '../domain/order.js';\nexport type Page = Side;\n`,
      to: 'src/domain/order.ts',
    },
    {
      rule: 'no-unresolvable',
      file: 'src/domain/fill.ts',
      source: `import type { Missing } from './missing.js';\nexport type Fill = Missing;\n`,
      to: './missing.js',
    },
  ];

  it.each(upward)('reports $file importing $to as $rule', async ({ rule, file, source, to }) => {
    const result = await cruiseTree({ ...DOWNWARD, [file]: source });

    expect(reported(result)).toEqual([{ rule, from: file, to }]);
  });

  it('reports an import cycle inside a layer as no-circular, once, with the cycle it found', async () => {
    const result = await cruiseTree({
      ...DOWNWARD,
      'src/core/orders.ts': `import type { Fills } from './fills.js';\nexport type Orders = { fills: Fills };\n`,
      'src/core/fills.ts': `import type { Orders } from './orders.js';\nexport type Fills = { orders: Orders };\n`,
    });

    expect(reported(result)).toEqual([{ rule: 'no-circular', from: 'src/core/fills.ts', to: 'src/core/orders.ts' }]);
    expect(result.summary.violations[0]?.cycle?.map((step) => step.name)).toEqual([
      'src/core/orders.ts',
      'src/core/fills.ts',
    ]);
  });

  it("names the broken rule and its reason in lint's output", async () => {
    const result = await cruiseTree({
      ...DOWNWARD,
      'src/api/traffic.ts': `import type { Broker } from '../brokers/broker.js';\nexport type Traffic = Broker;\n`,
    });

    const { output, exitCode } = await format(result, { outputType: 'err-long' });

    expect(exitCode).toBe(1);
    expect(output).toContain('error api-imports-domain-core-gateway-store-only: src/api/traffic.ts → src/brokers/broker.ts');
    expect(output).toContain('never brokers or exchange');
  });
});
