import { CountingThrottlerStorage } from './rate-limit';

describe('CountingThrottlerStorage (per-second hit counts for the rate limit)', () => {
  let now = 1_000_000;
  const storage = () => new CountingThrottlerStorage(() => now);
  beforeEach(() => (now = 1_000_000));

  it('counts hits per key within the ttl and blocks the first hit over the limit for blockDuration', async () => {
    const store = storage();
    for (let i = 1; i <= 3; i++) expect(await store.increment('a', 60_000, 3, 60_000)).toMatchObject({ totalHits: i, isBlocked: false });
    expect((await store.increment('b', 60_000, 3, 60_000)).totalHits).toBe(1);
    expect(await store.increment('a', 60_000, 3, 60_000)).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    now += 30_000;
    // Blocked: refused, not counted, Retry-After counts down.
    expect(await store.increment('a', 60_000, 3, 60_000)).toMatchObject({ isBlocked: true, totalHits: 4, timeToBlockExpire: 30 });
    now += 30_000;
    // The block is over: the key starts afresh.
    expect(await store.increment('a', 60_000, 3, 60_000)).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('lets hits expire a ttl after their second', async () => {
    const store = storage();
    await store.increment('a', 60_000, 10, 60_000);
    now += 30_000;
    await store.increment('a', 60_000, 10, 60_000);
    now += 31_000;
    expect((await store.increment('a', 60_000, 10, 60_000)).totalHits).toBe(2);
    now += 30_000;
    expect((await store.increment('a', 60_000, 10, 60_000)).totalHits).toBe(2);
  });

  it('costs the same per request however many hits the window holds (a minute at 1,000/s)', async () => {
    const store = storage();
    for (let i = 0; i < 60_000; i++) {
      await store.increment('a', 60_000, 1_000_000, 60_000);
      now += 1;
    }
    expect((await store.increment('a', 60_000, 1_000_000, 60_000)).totalHits).toBeGreaterThanOrEqual(59_000);
  });

  it('without a block duration refuses over the limit until the oldest hit expires', async () => {
    const store = storage();
    await store.increment('a', 10_000, 1, 0);
    expect(await store.increment('a', 10_000, 1, 0)).toMatchObject({ isBlocked: true, timeToBlockExpire: 11 });
    now += 11_000;
    expect(await store.increment('a', 10_000, 1, 0)).toMatchObject({ isBlocked: false, totalHits: 1 });
  });
});
