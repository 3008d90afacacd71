import { dirtyKib, summariseStorage, writebackSettings } from './storage';

describe('the storage probe summary (ADR 0098)', () => {
  it('reads the dirty page cache from /proc/meminfo', () => {
    expect(dirtyKib('MemTotal:       24000000 kB\nDirty:             93184 kB\nWriteback:           0 kB\n')).toBe(93184);
    expect(dirtyKib('MemTotal:       24000000 kB\n')).toBe(0);
  });

  it('names the threshold the kernel uses: bytes when set, else the ratio, and the age', () => {
    const settings = (values: Record<string, string>) => writebackSettings((name) => values[name]);
    expect(settings({ dirty_background_bytes: '0', dirty_background_ratio: '10', dirty_expire_centisecs: '3000' })).toBe(
      'vm.dirty_background_ratio 10 %, dirty_expire 30 s',
    );
    expect(settings({ dirty_background_bytes: '16777216', dirty_background_ratio: '0', dirty_expire_centisecs: '3000' })).toBe(
      'vm.dirty_background_bytes 16 MiB, dirty_expire 30 s',
    );
  });

  it('gives the flushes’ percentiles, counts the stalls over 100 ms, and the dirty peak in MiB', () => {
    const flushes = [...Array.from({ length: 98 }, () => 1.2), 182, 277];
    expect(summariseStorage(flushes, 93184, 'vm.x', 'here', 20)).toBe(
      'storage: fdatasync of 8 KiB every 20 ms p50/p99/max 1.2/182.0/277.0 ms, 2 over 100 ms (100 flushes in here); ' +
        'dirty page cache up to 91 MiB (vm.x)',
    );
    expect(summariseStorage([], 0, 'vm.x', 'here', 20)).toContain('p50/p99/max n/a/n/a/n/a ms, 0 over 100 ms (0 flushes');
  });
});
