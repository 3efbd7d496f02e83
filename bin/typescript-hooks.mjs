// Module hooks (node:module `register`) for Ordergate's TypeScript: a `.ts` file is loaded as an ES module whose types
// esbuild has stripped, file by file, with nothing renamed or bundled. An import of `./x.js` from TypeScript names
// `./x.ts` (the NodeNext convention the sources follow) when no `./x.js` exists.
//
// Why not tsx, which did this until 2026-11: tsx always asks esbuild for `keepNames`, which wraps every function and
// class created at run time in a `__name(…)` call; without it the gateway served 4–9 % more requests per core
// (docs/performance.md). A transform that neither minifies nor bundles renames nothing, so names stay as written.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

/** The compiler options esbuild reads, as tsconfig.json sets them. */
const TSCONFIG = { compilerOptions: { target: 'ES2022', verbatimModuleSyntax: true, useDefineForClassFields: true } };

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL;
  if (parent?.startsWith('file:') && parent.endsWith('.ts') && isRelative(specifier) && specifier.endsWith('.js')) {
    const asWritten = new URL(specifier, parent);
    if (!fs.existsSync(asWritten)) {
      const typescript = new URL(`${asWritten.href.slice(0, -'.js'.length)}.ts`);
      if (fs.existsSync(typescript)) return { url: typescript.href, shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const { code } = transformSync(fs.readFileSync(file, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    sourcefile: file,
    tsconfigRaw: TSCONFIG,
  });
  return { format: 'module', source: code, shortCircuit: true };
}

function isRelative(specifier) {
  return specifier.startsWith('./') || specifier.startsWith('../');
}
