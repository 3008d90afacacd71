import { STOPPED_AT, whereItStopped } from './reconcile.service';

const publication = (status: 'pending' | 'sent' | 'purged' | 'held', more: Record<string, unknown> = {}) => ({
  publication: {
    status,
    decidedEventIds: ['e1'],
    queuedAt: '2026-11-30T01:00:00.000Z',
    sentAt: status === 'sent' ? '2026-11-30T01:00:01.000Z' : null,
    heldReason: null,
    ...more,
  },
});

/** An approval the approval side granted and supervision never applied: one row per place on the path (ADR 0075). */
describe('where an approval that never reached supervision stopped', () => {
  it.each([
    [
      'held at the approver while its entity has an open case',
      publication('held', { heldReason: 'open case 1' }),
      undefined,
      'held_at_approval',
      'approval',
    ],
    ["still in the approval service's outbox", publication('pending'), undefined, 'in_approval_outbox', 'approval_outbox'],
    [
      'dead-lettered here (its decided event is an open dead letter)',
      publication('sent'),
      { id: '7', kind: 'failed', reason: 'boom', created_at: new Date('2026-11-30T01:00:02Z') },
      'dead_lettered_at_supervision',
      'supervision_dead_letters',
    ],
    ['published, not yet applied here', publication('sent'), undefined, 'in_transit', 'kafka'],
    ['published long ago (outbox row purged), not applied here', publication('purged'), undefined, 'in_transit', 'kafka'],
  ])('%s', (_rule, entry, deadLetter, reason, stoppedAt) => {
    const stopped = whereItStopped(entry, deadLetter);
    expect(stopped.reason).toBe(reason);
    expect(STOPPED_AT[stopped.reason]).toBe(stoppedAt);
    expect(stopped.detail.length).toBeGreaterThan(0);
  });

  it('a pending event counts as in the outbox even when an older copy was dead-lettered', () => {
    expect(whereItStopped(publication('pending'), { id: '1', kind: 'invalid', reason: 'x', created_at: new Date() }).reason).toBe(
      'in_approval_outbox',
    );
  });
});
