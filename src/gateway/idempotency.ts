// Idempotency-Key (any dialect): a retried POST with the same key gets the first request's answer instead of
// placing a second order. Retries arriving while the first is still running wait for it. Answers are kept 24 h.
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../domain/clock.js';
import type { IdempotencyRepository } from '../store/store.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
export const RETENTION_MS = 24 * 3600 * 1000;
const MAX_KEY_LENGTH = 255;

interface Pending {
  accountId: string;
  key: string;
  fingerprint: string;
  done: () => void;
}

/** How a dialect answers errors of the guard, in its own envelope. */
export type ErrorSender = (reply: FastifyReply, statusCode: number, message: string) => FastifyReply;

export class IdempotencyGuard {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly pending = new WeakMap<FastifyRequest, Pending>();

  constructor(
    private readonly answers: IdempotencyRepository,
    private readonly clock: Clock,
  ) {}

  /** Forgets the answers older than the retention (at start); resolves with how many. */
  purgeExpired(): Promise<number> {
    return this.answers.purgeBefore(this.clock.now() - RETENTION_MS);
  }

  /** A preHandler to add after the dialect's authentication; `accountOf` reads the authenticated account. */
  preHandler(accountOf: (request: FastifyRequest) => string | undefined, sendError: ErrorSender) {
    return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
      const header = request.headers[IDEMPOTENCY_HEADER];
      if (header === undefined || request.method !== 'POST') return undefined;
      const accountId = accountOf(request);
      if (accountId === undefined) return undefined;
      if (typeof header !== 'string' || header.length === 0 || header.length > MAX_KEY_LENGTH) {
        return sendError(reply, 400, `Idempotency-Key must be one header of 1 to ${MAX_KEY_LENGTH} characters`);
      }
      const slot = `${accountId}\u0000${header}`;
      for (let running = this.inFlight.get(slot); running; running = this.inFlight.get(slot)) await running;

      // The slot is taken before the stored answer is looked up, so a retry arriving during the lookup waits too.
      const fingerprint = fingerprintOf(request);
      let done = () => {};
      this.inFlight.set(slot, new Promise<void>((resolve) => (done = resolve)));
      this.pending.set(request, { accountId, key: header, fingerprint, done });
      const stored = await this.answers.find(accountId, header);
      if (stored) {
        // A replay is not stored again.
        this.release(request);
        if (stored.fingerprint !== fingerprint) {
          return sendError(reply, 422, 'Idempotency-Key was already used for a different request');
        }
        return reply.code(stored.statusCode).header(REPLAYED_HEADER, 'true').type('application/json; charset=utf-8').send(stored.body);
      }
      return undefined;
    };
  }

  /** An onSend hook: keeps the first answer (not 5xx, not 429: those are worth retrying) and releases waiters. */
  readonly onSend = async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const pending = this.pending.get(request);
    if (!pending) return payload;
    try {
      if (reply.statusCode < 500 && reply.statusCode !== 429 && typeof payload === 'string') {
        const answer = { fingerprint: pending.fingerprint, statusCode: reply.statusCode, body: payload };
        await this.answers.save(pending.accountId, pending.key, answer, this.clock.now());
      }
    } finally {
      this.release(request);
    }
    return payload;
  };

  /** An onResponse hook: releases waiters even when no payload was sent (aborted requests). */
  readonly onResponse = async (request: FastifyRequest): Promise<void> => {
    this.release(request);
  };

  private release(request: FastifyRequest): void {
    const pending = this.pending.get(request);
    if (!pending) return;
    this.pending.delete(request);
    this.inFlight.delete(`${pending.accountId}\u0000${pending.key}`);
    pending.done();
  }
}

// What was asked: method, path and body, without the credential (a retry may come with another key of the account).
function fingerprintOf(request: FastifyRequest): string {
  const { apikey: _apikey, ...body } = (request.body ?? {}) as Record<string, unknown>;
  const path = request.url.split('?')[0];
  return crypto.createHash('sha256').update(`${request.method} ${path} ${JSON.stringify(body)}`).digest('hex');
}
