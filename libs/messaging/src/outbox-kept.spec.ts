import { KeptMessages, type RelayMessage } from './outbox-kept';

const message = (bytes: number, topic = 'supervision.tasks'): RelayMessage => ({
  topic,
  key: 'k',
  value: Buffer.alloc(bytes, 0x61),
  headers: { ce_id: 'x' },
});

describe('KeptMessages: the messages of the rows this process wrote, for its relay (ADR 0116)', () => {
  it('keeps nothing while this process does not relay, and drops all when it stops', () => {
    const kept = new KeptMessages();
    kept.keep('e-1', [message(10)]);
    expect(kept.get('e-1')).toBeUndefined();
    kept.setKeeping(true);
    kept.keep('e-2', [message(10), message(20)]);
    expect(kept.get('e-2')?.map(({ value }) => value.length)).toEqual([10, 20]);
    expect(kept.size()).toEqual({ rows: 1, bytes: 30 });
    kept.setKeeping(false);
    expect(kept.get('e-2')).toBeUndefined();
    expect(kept.size()).toEqual({ rows: 0, bytes: 0 });
  });

  it('forgets what was published, and counts a row kept twice once', () => {
    const kept = new KeptMessages();
    kept.setKeeping(true);
    kept.keep('e-1', [message(10)]);
    kept.keep('e-2', [message(5)]);
    kept.keep('e-2', [message(7)]);
    expect(kept.size()).toEqual({ rows: 2, bytes: 17 });
    kept.forget(['e-1', 'never-kept']);
    expect(kept.get('e-1')).toBeUndefined();
    expect(kept.size()).toEqual({ rows: 1, bytes: 7 });
  });

  it('keeps no row that does not fit, until rows older than the maximum age make room', () => {
    let now = 0;
    const kept = new KeptMessages(100, 1_000, () => now);
    kept.setKeeping(true);
    kept.keep('old', [message(60)]);
    now = 500;
    kept.keep('newer', [message(30)]);
    kept.keep('no-room', [message(20)]);
    // Not kept: the relay reads it from the table like another process's row.
    expect(kept.get('no-room')).toBeUndefined();
    expect(kept.size()).toEqual({ rows: 2, bytes: 90 });
    // 'old' is past the age (a row whose transaction rolled back, say); 'newer' is not, and stays.
    now = 1_200;
    kept.keep('fits-now', [message(20)]);
    expect(kept.get('old')).toBeUndefined();
    expect(kept.get('newer')).toBeDefined();
    expect(kept.get('fits-now')).toBeDefined();
    expect(kept.size()).toEqual({ rows: 2, bytes: 50 });
  });
});
