// Runs Ordergate's TypeScript as it is, with no build step: registers the module hooks of typescript-hooks.mjs
// (esbuild strips the types of each .ts file as it loads). Imported first by bin/ordergate.js, by the store's worker
// threads (bin/thread-boot.mjs: a worker does not inherit its parent's hooks) and, as `--import`, by the
// benchmarks. Stack traces point into the TypeScript: the transformed code carries inline source maps.
import { register } from 'node:module';

register('./typescript-hooks.mjs', import.meta.url);
process.setSourceMapsEnabled(true);
