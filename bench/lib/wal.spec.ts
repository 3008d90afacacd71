import { describeWal, walSample, type WalSample } from './wal';

describe('the WAL line of a bench phase', () => {
  const before: WalSample = { bytes: 1_000_000_000, records: 5_000_000, fullPages: 100_000, checkpoints: 7 };

  it('gives the phase’s WAL in MiB and MiB/s, its records and full-page images, a loop’s share and the checkpoints', () => {
    const after: WalSample = { bytes: before.bytes + 100 * 1048576, records: 5_250_000, fullPages: 112_345, checkpoints: 8 };
    expect(describeWal(before, after, 20, 10_000)).toBe(
      'WAL: 100 MiB in 20 s (5.0 MiB/s, 10.2 KiB a loop), 250000 records of which 12345 full-page images; ' +
        '1 checkpoint started meanwhile (the cluster, all databases)',
    );
  });

  it('leaves a loop’s share out without loops, and counts checkpoints in the plural', () => {
    const after: WalSample = { bytes: before.bytes, records: before.records, fullPages: before.fullPages, checkpoints: 9 };
    expect(describeWal(before, after, 0)).toBe(
      'WAL: 0 MiB in 0 s (0.0 MiB/s), 0 records of which 0 full-page images; 2 checkpoints started meanwhile (the cluster, all databases)',
    );
  });

  it('reads the counters as numbers from the row PostgreSQL gives (the bytes come as text: a numeric)', async () => {
    const db = {
      query: jest
        .fn()
        .mockResolvedValue({ rows: [{ bytes: '99472807464', records: '432235623', full_pages: '5176441', checkpoints: '12' }] }),
    };
    await expect(walSample(db as never)).resolves.toEqual({ bytes: 99472807464, records: 432235623, fullPages: 5176441, checkpoints: 12 });
  });
});
