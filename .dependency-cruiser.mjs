// The layer rule of DESIGN §2, run by `npm run lint`: imports only point down the layer list, and src has no cycles.
// tests/layers.test.ts cruises a small tree with this same file to prove each rule can fail.

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'domain-is-self-contained',
      comment: 'src/domain/ is pure types and rules: it imports only src/domain/ and node built-ins (DESIGN §2).',
      severity: 'error',
      from: { path: '^src/domain/' },
      // An unresolved import is no-unresolvable's to report, not a layer breach.
      to: { pathNot: '^src/domain/', dependencyTypesNot: ['core'], couldNotResolve: false },
    },
    {
      name: 'exchange-imports-domain-only',
      comment: 'src/exchange/ (the paper exchange) imports only src/domain/ and itself (DESIGN §2).',
      severity: 'error',
      from: { path: '^src/exchange/' },
      to: { path: '^src/', pathNot: '^src/(domain|exchange)/' },
    },
    {
      name: 'brokers-import-domain-and-exchange-only',
      comment: 'src/brokers/ imports only src/domain/, itself and (paper adapter only) src/exchange/ (DESIGN §2).',
      severity: 'error',
      from: { path: '^src/brokers/' },
      to: { path: '^src/', pathNot: '^src/(domain|brokers|exchange)/' },
    },
    {
      name: 'only-paper-adapter-imports-exchange',
      comment: 'Of src/brokers/, only the paper adapter (src/brokers/paper/) may import src/exchange/ (DESIGN §2).',
      severity: 'error',
      from: { path: '^src/brokers/', pathNot: '^src/brokers/paper/' },
      to: { path: '^src/exchange/' },
    },
    {
      name: 'store-imports-domain-only',
      comment: 'src/store/ imports only src/domain/ and itself (DESIGN §2).',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/', pathNot: '^src/(domain|store)/' },
    },
    {
      name: 'core-imports-domain-brokers-store-only',
      comment: 'src/core/ imports only src/domain/, itself, the broker port and the store port (DESIGN §2).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/(domain|core|brokers|store)/' },
    },
    {
      name: 'core-uses-broker-port-not-adapters',
      comment:
        'src/core/ may import only files directly in src/brokers/ (the port and its wrappers), never an adapter folder such as src/brokers/paper/ (DESIGN §2).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/brokers/[^/]+/' },
    },
    {
      name: 'core-uses-store-port-only',
      comment: 'Of src/store/, src/core/ may import only the port src/store/store.ts, not an engine or repository (DESIGN §2).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/store/', pathNot: '^src/store/store\\.ts$' },
    },
    {
      name: 'gateway-imports-domain-core-store-brokers-only',
      comment:
        'src/gateway/ imports only src/domain/, src/core/, src/store/, the broker port and its decorators, itself and types from src/config.ts (DESIGN §2).',
      severity: 'error',
      from: { path: '^src/gateway/' },
      to: { path: '^src/', pathNot: ['^src/(domain|core|store|brokers|gateway)/', '^src/config\\.ts$'] },
    },
    {
      // The latency monitor wraps every broker in TimedBroker (latency-recorder.ts) and the operator's paper faults
      // drive FaultInjectingBroker (paper-faults.ts): both are decorators of the port, beside it in src/brokers/.
      name: 'gateway-uses-broker-port-not-adapters',
      comment:
        'src/gateway/ may import only files directly in src/brokers/ (the port and its decorators, which the latency monitor and the paper faults wrap brokers in), never an adapter folder such as src/brokers/paper/ (DESIGN §2).',
      severity: 'error',
      from: { path: '^src/gateway/' },
      to: { path: '^src/brokers/[^/]+/' },
    },
    {
      name: 'api-imports-domain-core-gateway-store-only',
      comment:
        'src/api/ imports only src/domain/, src/core/, src/gateway/, the store port, itself and types from src/config.ts; never brokers or exchange (DESIGN §2).',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/', pathNot: ['^src/(domain|core|gateway|store|api)/', '^src/config\\.ts$'] },
    },
    {
      // The admin API's routes are resource CRUD (users, accounts, keys, broker connections, logs): they read and write
      // through the store's repositories, named in the port, with no use case of the core between.
      name: 'api-uses-store-port-only',
      comment:
        'Of src/store/, src/api/ may import only the port src/store/store.ts (its repositories serve the admin CRUD routes), not an engine or repository (DESIGN §2).',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/store/', pathNot: '^src/store/store\\.ts$' },
    },
    {
      // config.ts declares the shape of the settings; app.ts reads them and hands each layer its part. Naming that shape
      // in a signature (`import type`) leaves no runtime edge back to the entry point; values must still be passed in.
      name: 'config-types-only',
      comment:
        'src/gateway/ and src/api/ may take only types from src/config.ts (`import type`); values are passed in by app.ts (DESIGN §2).',
      severity: 'error',
      from: { path: '^src/(gateway|api)/' },
      to: { path: '^src/config\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'web-imports-nothing-from-src',
      comment: 'src/web/ (the dashboard) reaches the rest only over HTTP: it imports nothing from src/ outside itself (DESIGN §2).',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: '^src/', pathNot: '^src/web/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles inside src/, type-only imports included: a cycle makes two modules one.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      comment:
        'Every import in src/ resolves to a file or package; an unresolved import would slip past the layer rules unseen.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // `import type` is an import that points somewhere: keep it in the graph so the rules see it.
    tsPreCompilationDeps: true,
    // Resolves the `.js` suffixes of NodeNext imports to the `.ts` files beside them.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
