// The HTTP side of an OpenAlgo v1 upstream: every call is `POST {baseUrl}/api/v1/<endpoint>` with a JSON body that
// carries the API key, answered with OpenAlgo's envelope. Success bodies are checked against their schema; errors
// become the domain's typed errors (v1-errors.ts). The API key goes only into request bodies: no message, error or
// log line made here holds it.
import { type Answer, type Endpoint, readAnswer } from './v1-schemas.js';
import { upstreamError } from './v1-errors.js';
import { UpstreamFailure, type WireBody, encodeBody } from './wire-values.js';

export interface V1ClientOptions {
  /** Where the upstream answers, e.g. `http://127.0.0.1:5000`. */
  baseUrl: string;
  apiKey: string;
  /** Global fetch unless given. */
  fetch?: typeof fetch;
  /**
   * How long one call may run before it is abandoned, in ms (default 30 s). The resilience layer's timeout answers the
   * caller sooner; this one ends the request itself, so a call nobody waits for any more does not hold a connection.
   */
  requestTimeoutMs?: number;
}

export interface CallOptions {
  /** The upstream's id of the order the call is about: a 404 is then OrderNotFound. */
  orderId?: string;
  /** Sent as the `Idempotency-Key` header: Ordergate upstreams answer a repeat with the first placement; OpenAlgo ignores it. */
  idempotencyKey?: string;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export class V1Client {
  private readonly base: string;
  private readonly fetch: typeof fetch;
  private readonly requestTimeoutMs: number;
  /** Aborted by `close`: calls under way end at once. */
  private readonly closing = new AbortController();

  constructor(private readonly options: V1ClientOptions) {
    this.base = `${options.baseUrl.replace(/\/+$/, '')}/api/v1/`;
    this.fetch = options.fetch ?? fetch;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /** Calls `endpoint` with `fields` (the API key is added) and returns its checked success body. */
  async call<E extends Endpoint>(endpoint: E, fields: WireBody = {}, options: CallOptions = {}): Promise<Answer<E>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    const signal = AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.requestTimeoutMs)]);
    let status: number;
    let text: string;
    try {
      const response = await this.fetch(this.base + endpoint, {
        method: 'POST',
        headers,
        body: encodeBody({ apikey: this.options.apiKey, ...fields }),
        signal,
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw new UpstreamFailure(`The upstream's ${endpoint} call failed: ${this.reasonOf(error)}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new UpstreamFailure(`The upstream's ${endpoint} answered ${status} with a body that is not JSON`);
    }
    const envelope = (typeof body === 'object' && body !== null ? body : {}) as { status?: unknown; message?: unknown };
    if (status >= 200 && status < 300 && envelope.status === 'success') return readAnswer(endpoint, body);
    if (envelope.status !== 'error' && status >= 200 && status < 300) {
      throw new UpstreamFailure(`The upstream's ${endpoint} answered ${status} without OpenAlgo's envelope`);
    }
    throw upstreamError(status, this.redact(messageOf(envelope.message, status)), { endpoint, orderId: options.orderId });
  }

  /** Ends every call under way; later calls fail at once. */
  close(): void {
    this.closing.abort();
  }

  private reasonOf(error: unknown): string {
    if (this.closing.signal.aborted) return 'the adapter was closed';
    if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${this.requestTimeoutMs} ms`;
    const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
    const reason = typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : String(error);
    return this.redact(reason);
  }

  /** An upstream may echo what it was sent; the key never leaves here in a message. */
  private redact(text: string): string {
    const key = this.options.apiKey;
    return key === '' ? text : text.split(key).join('[api key]');
  }
}

/** The envelope's message as text: OpenAlgo's data endpoints send their validation errors as an object. */
function messageOf(message: unknown, status: number): string {
  if (typeof message === 'string' && message !== '') return message;
  if (message !== undefined && message !== null) return JSON.stringify(message);
  return `HTTP ${status}`;
}
