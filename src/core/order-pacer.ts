// The pace of the orders one request places (split children, basket legs): each waits for, and takes, one unit of the
// caller's order budget, so a single request cannot place more orders than the caller's order rate limit allows.

/** Resolves when one more order may go out, having counted it; rejects with a DomainError when it cannot tell. */
export type OrderPacer = () => Promise<void>;
