// Baseline for `npm run bench`: the least a Node HTTP server can do for a JSON POST. It reads the body, parses it
// and answers a small JSON object, like Ordergate's acknowledgement. Prints its URL on stdout, then serves until
// SIGTERM/SIGINT or, under the runner, until its stdin closes (the runner holds the other end, so the server never outlives it).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const REPLY = JSON.stringify({ status: 'success', orderid: '1' });

const server = http.createServer((request, response) => {
  if (request.method !== 'POST') {
    response.writeHead(405, { 'content-type': 'application/json' }).end('{"status":"error"}');
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      response.writeHead(400, { 'content-type': 'application/json' }).end('{"status":"error"}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(REPLY) });
    response.end(REPLY);
  });
});

server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address() as AddressInfo;
  process.stdout.write(`http://${address}:${port}\n`);
});

let closing = false;
function shutdown(): void {
  if (closing) return;
  closing = true;
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
// The runner sets BENCH_STDIN_GUARD=1 and holds our stdin: when it dies, even by SIGKILL, stdin ends and we go.
if (process.env.BENCH_STDIN_GUARD === '1') {
  process.stdin.on('end', shutdown);
  process.stdin.on('close', shutdown);
  process.stdin.resume();
}
