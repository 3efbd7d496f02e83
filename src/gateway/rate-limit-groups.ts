// The route groups a request budget is counted in (OpenAlgo's rate-limit buckets, §7). Kept here, not in config.ts, so
// the gateway needs no value from the entry point; config.ts reads each group's setting from the environment.
export const RATE_LIMIT_GROUPS = ['order', 'smartOrder', 'api', 'greeks', 'margin', 'webhook', 'login'] as const;
export type RateLimitGroup = (typeof RATE_LIMIT_GROUPS)[number];
