import type { InspectionTask } from '../inspection-task.entity';
import { poolCondition } from './pool-filter';

const task = (kinds: Array<'key' | 'general'>) =>
  ({
    items: kinds.map((kind, i) => ({ department: 'D', code: `I${i}`, version: 1, name: 'n', kind, minRatioBp: 0, maxRatioBp: 10_000 })),
    filters: { regionPrefixes: [], entityTypes: [], industries: [], licenceItemCodes: [] },
    excludeInspectedWithinDays: null,
  }) as unknown as InspectionTask;

describe('red-listed entities (守信激励) are inspected less often (docs/domain.md §6)', () => {
  it('a task of general items leaves out a red-listed entity inspected within the interval', () => {
    const { sql, params } = poolCondition(task(['general']), 2, 365);
    expect(sql).toContain(
      'NOT (t.red_list AND t.last_inspected_at IS NOT NULL AND t.last_inspected_at > now() - make_interval(days => $2::int))',
    );
    expect(params).toEqual([365]);
  });

  it('a task with a key item (no cap: full coverage) keeps them; so does an interval of 0', () => {
    expect(poolCondition(task(['general', 'key']), 2, 365).sql).not.toContain('red_list');
    expect(poolCondition(task(['general']), 2, 0).sql).not.toContain('red_list');
  });
});
