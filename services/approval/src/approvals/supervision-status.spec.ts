import type { SupervisionStatus } from './approval.entity';
import { nextSupervisionStatus, SUPERVISION_STATES } from './supervision-status';

/**
 * One row per rule, written as the feedback handlers applied them before the table existed, so that the
 * table is proven to change nothing: every (state, feedback) pair of the seven states is checked.
 */
const RULES: ReadonlyArray<{ feedback: string; to: SupervisionStatus; movesFrom: (from: SupervisionStatus) => boolean }> = [
  { feedback: 'task assigned', to: 'assigned', movesFrom: (from) => ['awaiting_assignment', 'unrouted', 'returned'].includes(from) },
  { feedback: 'task claimed', to: 'claimed', movesFrom: () => true },
  { feedback: 'approval unrouted', to: 'unrouted', movesFrom: (from) => from === 'awaiting_assignment' },
  { feedback: 'task returned', to: 'returned', movesFrom: (from) => from !== 'closed' },
  { feedback: 'task escalated', to: 'escalated', movesFrom: (from) => from !== 'claimed' && from !== 'closed' },
  { feedback: 'task closed', to: 'closed', movesFrom: () => true },
];

describe("the approval's supervision status table", () => {
  it('knows every state', () => {
    expect([...SUPERVISION_STATES].sort()).toEqual([
      'assigned',
      'awaiting_assignment',
      'claimed',
      'closed',
      'escalated',
      'returned',
      'unrouted',
    ]);
  });

  const cases = RULES.flatMap((rule) => SUPERVISION_STATES.map((from) => ({ ...rule, from })));
  it.each(cases)('$feedback seen while $from', ({ from, to, movesFrom }) => {
    expect(nextSupervisionStatus(from, to)).toBe(movesFrom(from) ? to : from);
  });
});
