import { LedgerSettlement } from './ledger-windows';

const at = (iso: string) => new Date(iso);
const window = (start: string, end: string): [Date, Date] => [at(start), at(end)];

/** Each periodic tick compares only what has not settled (ADR 0126). */
describe('what of the ledger a tick compares', () => {
  const from = at('2026-11-01T00:00:00.000Z');
  const to = at('2026-12-01T00:00:00.000Z');
  const next = at('2026-12-01T00:01:00.000Z');

  it('the whole period until a tick has read the ledger', () => {
    const settlement = new LedgerSettlement({ settleMs: 30_000, slices: 60 });
    expect(settlement.windows(from, to)).toEqual([[from, to]]);
    expect(settlement.windows(from, to)).toEqual([[from, to]]);
  });

  it('after a tick where every bucket matched: what was decided since its last 30 s, and the first slice of the rest', () => {
    const settlement = new LedgerSettlement({ settleMs: 30_000, slices: 60 });
    settlement.settle(to, []);
    expect(settlement.windows(at('2026-11-01T00:01:00.000Z'), next)).toEqual([
      window('2026-11-01T00:01:00.000Z', '2026-11-01T12:01:00.000Z'),
      window('2026-11-30T23:59:30.000Z', '2026-12-01T00:01:00.000Z'),
    ]);
  });

  it('takes the settled part a slice a tick, all of it within `slices` ticks', () => {
    const settlement = new LedgerSettlement({ settleMs: 0, slices: 4 });
    settlement.settle(to, []);
    const slices = [0, 1, 2, 3, 4].map(() => settlement.windows(from, to)[0]);
    expect(slices).toEqual([
      window('2026-11-01T00:00:00.000Z', '2026-11-08T12:00:00.000Z'),
      window('2026-11-08T12:00:00.000Z', '2026-11-16T00:00:00.000Z'),
      window('2026-11-16T00:00:00.000Z', '2026-11-23T12:00:00.000Z'),
      // the last slice ends where the settled part does; the tail [to, to) is empty and merged away
      window('2026-11-23T12:00:00.000Z', '2026-12-01T00:00:00.000Z'),
      window('2026-11-01T00:00:00.000Z', '2026-11-08T12:00:00.000Z'),
    ]);
  });

  it('compares again the windows that still differed, until they match; those that left the period are dropped', () => {
    const settlement = new LedgerSettlement({ settleMs: 30_000, slices: 60 });
    const held = window('2026-11-20T10:00:00.000Z', '2026-11-20T10:00:05.000Z');
    const old = window('2026-10-31T23:00:00.000Z', '2026-10-31T23:00:05.000Z');
    settlement.settle(to, [old, held]);
    // slices of the period [from, next): 12 h and a second each
    expect(settlement.windows(from, next)).toEqual([
      window('2026-11-01T00:00:00.000Z', '2026-11-01T12:00:01.000Z'),
      held,
      window('2026-11-30T23:59:30.000Z', '2026-12-01T00:01:00.000Z'),
    ]);
    settlement.settle(next, []);
    expect(settlement.windows(from, at('2026-12-01T00:02:00.000Z'))).toEqual([
      window('2026-11-01T12:00:02.000Z', '2026-11-02T00:00:04.000Z'),
      window('2026-12-01T00:00:30.000Z', '2026-12-01T00:02:00.000Z'),
    ]);
  });
});
