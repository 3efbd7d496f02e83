import { describe, expect, it } from 'vitest';
import { SqlAuthSessionRepository } from '../../src/store/auth-session-repository.js';
import { SqlUserRepository } from '../../src/store/user-repository.js';
import { useEngines } from './engines.js';

const engines = useEngines();

const token = (digest: string, createdAt = 1_000) => ({ digest, createdAt, expiresAt: createdAt + 60_000 });

describe.each(engines)('SqlAuthSessionRepository on $name', (engine) => {
  async function world() {
    const db = await engine.open();
    const users = new SqlUserRepository(db);
    return {
      db,
      alice: await users.create('alice'),
      bob: await users.create('bob'),
      sessions: new SqlAuthSessionRepository(db),
    };
  }

  it('opens a session with its first refresh token', async () => {
    const { alice, sessions } = await world();
    const session = await sessions.open({ userId: alice.id, createdAt: 1_000 }, token('d1'));
    expect(session).toEqual({ id: expect.any(String), userId: alice.id, createdAt: 1_000, revokedAt: null, revokedReason: null });
    expect(await sessions.find(session.id)).toEqual(session);
    expect(await sessions.findToken('d1')).toEqual({
      digest: 'd1',
      sessionId: session.id,
      createdAt: 1_000,
      expiresAt: 61_000,
      usedAt: null,
    });
    expect(await sessions.find('nope')).toBeUndefined();
    expect(await sessions.findToken('nope')).toBeUndefined();
  });

  it('opens nothing when the first token cannot be stored', async () => {
    const { db, alice, sessions } = await world();
    const first = await sessions.open({ userId: alice.id, createdAt: 1_000 }, token('d1'));
    await expect(sessions.open({ userId: alice.id, createdAt: 2_000 }, token('d1'))).rejects.toThrow(/unique/i);
    expect(await db.selectFrom('auth_sessions').select('id').execute()).toEqual([{ id: first.id }]);
  });

  it('rotates an unused token once, keeping the next token in the same session', async () => {
    const { alice, sessions } = await world();
    const session = await sessions.open({ userId: alice.id, createdAt: 1_000 }, token('d1'));
    expect(await sessions.rotate('d1', 2_000, token('d2', 2_000))).toBe(true);
    expect(await sessions.findToken('d1')).toMatchObject({ usedAt: 2_000 });
    expect(await sessions.findToken('d2')).toEqual({
      digest: 'd2',
      sessionId: session.id,
      createdAt: 2_000,
      expiresAt: 62_000,
      usedAt: null,
    });
    expect(await sessions.rotate('d1', 3_000, token('d3', 3_000))).toBe(false);
    expect(await sessions.findToken('d3')).toBeUndefined();
    expect(await sessions.rotate('nope', 3_000, token('d4', 3_000))).toBe(false);
  });

  it('lets only one of two concurrent rotations of a token win', async () => {
    const { alice, sessions } = await world();
    await sessions.open({ userId: alice.id, createdAt: 1_000 }, token('d1'));
    const won = await Promise.all([
      sessions.rotate('d1', 2_000, token('d2', 2_000)),
      sessions.rotate('d1', 2_000, token('d3', 2_000)),
    ]);
    expect(won.filter(Boolean)).toHaveLength(1);
    const stored = [await sessions.findToken('d2'), await sessions.findToken('d3')];
    expect(stored.filter((t) => t !== undefined)).toHaveLength(1);
  });

  it('refuses to rotate a token of a revoked session, and revokes once', async () => {
    const { alice, sessions } = await world();
    const session = await sessions.open({ userId: alice.id, createdAt: 1_000 }, token('d1'));
    await sessions.revoke(session.id, 2_000, 'logout');
    await sessions.revoke(session.id, 3_000, 'again');
    expect(await sessions.find(session.id)).toMatchObject({ revokedAt: 2_000, revokedReason: 'logout' });
    expect(await sessions.rotate('d1', 4_000, token('d2', 4_000))).toBe(false);
    expect(await sessions.findToken('d1')).toMatchObject({ usedAt: null });
  });

  it("revokes every open session of a user but the one kept, and no one else's", async () => {
    const { alice, bob, sessions } = await world();
    const kept = await sessions.open({ userId: alice.id, createdAt: 1_000 }, token('a1'));
    const other = await sessions.open({ userId: alice.id, createdAt: 1_000 }, token('a2'));
    const closed = await sessions.open({ userId: alice.id, createdAt: 1_000 }, token('a3'));
    const bobs = await sessions.open({ userId: bob.id, createdAt: 1_000 }, token('b1'));
    await sessions.revoke(closed.id, 1_500, 'logout');
    expect(await sessions.revokeAllOfUser(alice.id, 2_000, 'password changed', kept.id)).toBe(1);
    expect(await sessions.find(other.id)).toMatchObject({ revokedAt: 2_000, revokedReason: 'password changed' });
    expect(await sessions.find(closed.id)).toMatchObject({ revokedAt: 1_500, revokedReason: 'logout' });
    expect((await sessions.find(kept.id))?.revokedAt).toBeNull();
    expect((await sessions.find(bobs.id))?.revokedAt).toBeNull();
    expect(await sessions.revokeAllOfUser(alice.id, 3_000, 'all')).toBe(1);
    expect((await sessions.find(kept.id))?.revokedAt).toBe(3_000);
  });
});
