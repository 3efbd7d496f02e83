// Starts the traffic writer's thread: its TypeScript runs through tsx's loader, as bin/ordergate.js does for the CLI
// (a worker thread does not inherit the loader of the thread that started it).
import { register } from 'tsx/esm/api';

register();
await import('./traffic-writer-worker.ts');
