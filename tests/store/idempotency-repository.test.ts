import { describe, expect, it } from 'vitest';
import { SqlIdempotencyRepository } from '../../src/store/idempotency-repository.js';
import { useEngines } from './engines.js';

const engines = useEngines();

describe.each(engines)('SqlIdempotencyRepository on $name', (engine) => {
  it('keeps the first answer per account and key, survives reconnecting, and purges old answers', async () => {
    const connect = await engine.openReconnectable();
    const db = await connect();
    const idempotency = new SqlIdempotencyRepository(db);
    const first = { fingerprint: 'f1', statusCode: 200, body: '{"status":"success","orderid":"1"}' };
    await idempotency.save('acc', 'k1', first, 1000);
    await idempotency.save('acc', 'k1', { fingerprint: 'f2', statusCode: 400, body: '{}' }, 2000);
    await idempotency.save('other', 'k1', { fingerprint: 'f3', statusCode: 200, body: '{}' }, 3000);
    await db.destroy();

    const reopened = new SqlIdempotencyRepository(await connect());
    expect(await reopened.find('acc', 'k1')).toEqual(first);
    expect(await reopened.find('acc', 'k2')).toBeUndefined();
    expect(await reopened.purgeBefore(2500)).toBe(1);
    expect(await reopened.find('acc', 'k1')).toBeUndefined();
    expect((await reopened.find('other', 'k1'))?.fingerprint).toBe('f3');
  });
});
