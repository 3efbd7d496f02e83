// Top self-time functions of a V8 .cpuprofile (as `node --cpu-prof` writes; `BENCH_CPU_PROF=dir npm run bench`
// keeps one per Ordergate server), and self time grouped by where the code lives.
//   node --import ./bin/typescript.mjs bench/profile-summary.ts <file.cpuprofile> [top=25]
import fs from 'node:fs';
import path from 'node:path';
import { markdownTable } from './stats.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node --import ./bin/typescript.mjs bench/profile-summary.ts <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
// `… | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => {
  // timeDeltas[i] is the time since the previous sample; attribute the next delta to this sample (V8's convention
  // in DevTools is close enough to this for a ranking).
  const delta = profile.timeDeltas[i + 1] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, delta));
});

const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const idle = [...selfUs].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((a, [, us]) => a + us, 0);
const busy = total - idle;

function where(url: string): string {
  if (!url) return '';
  const local = url.startsWith('file://') ? new URL(url).pathname : url;
  return local.startsWith(root + path.sep) ? path.relative(root, local) : local;
}

function area(frame: CallFrame): string {
  const file = where(frame.url);
  if (!file) return frame.functionName.startsWith('(') ? frame.functionName : '(native/builtin)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (pkg) return pkg[1] ?? file;
  if (file.startsWith('node:')) return 'node: internals';
  const layer = /^(src\/[^/]+)/.exec(file);
  return layer?.[1] ?? file;
}

const functions = new Map<string, { us: number; label: string; area: string }>();
const areas = new Map<string, number>();
for (const [id, us] of selfUs) {
  const frame = byId.get(id)?.callFrame;
  if (!frame || frame.functionName === '(idle)') continue;
  const file = where(frame.url);
  // Code loaded through the TypeScript hooks reports positions in the transformed text, often line 0: omit those.
  const line = frame.lineNumber > 0 ? `:${frame.lineNumber + 1}` : '';
  const label = `${frame.functionName || '(anonymous)'}${file ? ` ${file}${line}` : ''}`;
  const entry = functions.get(label) ?? { us: 0, label, area: area(frame) };
  entry.us += us;
  functions.set(label, entry);
  areas.set(entry.area, (areas.get(entry.area) ?? 0) + us);
}

const pct = (us: number) => `${((us / busy) * 100).toFixed(1)}%`;
const ms = (us: number) => (us / 1000).toFixed(0);
process.stdout.write(
  `${path.basename(file)}: ${(total / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(1)} s not idle ` +
    `(${((busy / total) * 100).toFixed(0)}%); percentages are of the non-idle time\n\n`,
);
process.stdout.write(
  markdownTable(
    ['self ms', 'self %', 'function', 'area'],
    [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => [ms(f.us), pct(f.us), f.label, f.area]),
  ) + '\n\n',
);
process.stdout.write(
  markdownTable(
    ['self ms', 'self %', 'area'],
    [...areas].sort((a, b) => b[1] - a[1]).map(([name, us]) => [ms(us), pct(us), name]),
  ) + '\n',
);
