#!/usr/bin/env node
// Entry point of the `ordergate` command: runs the TypeScript CLI through Ordergate's module hooks (typescript.mjs).
import './typescript.mjs';

await import('../src/cli.ts');
