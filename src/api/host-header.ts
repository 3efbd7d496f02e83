// HTTP/1.1 requires a Host header (RFC 9112 §3.2). Node's own check answers a bare 400 without a body, so server.ts
// turns it off and this hook makes it instead, answering in the envelope of the API the request aimed at.
import type { FastifyInstance } from 'fastify';
import { errorBodyFor } from './error-envelope.js';

export function requireHostHeader(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    const { httpVersionMajor, httpVersionMinor } = request.raw;
    if (request.headers.host === undefined && httpVersionMajor === 1 && httpVersionMinor === 1) {
      void reply
        .code(400)
        .header('connection', 'close')
        .send(errorBodyFor(request.url, 400, 'An HTTP/1.1 request must carry a Host header'));
      return;
    }
    done();
  });
}
