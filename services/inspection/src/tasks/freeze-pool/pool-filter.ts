import type { InspectionTask } from '../inspection-task.entity';

/**
 * The SQL condition (on `target_entity t`) that selects a task's pool, with its parameters from
 * `$first` on: active entities, within the task's filters, not inspected under one of its items within
 * the exclusion window; for a task of general items only, not a red-listed entity (守信激励) inspected
 * within `redListIntervalDays` (0: no such exemption).
 */
export function poolCondition(task: InspectionTask, first: number, redListIntervalDays = 0): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${first + params.length - 1}`;
  };
  const conditions = [`t.status = 'active'`];
  const { regionPrefixes, entityTypes, industries, licenceItemCodes } = task.filters;
  if (regionPrefixes.length > 0) conditions.push(`t.region_code LIKE ANY (${param(regionPrefixes.map((prefix) => `${prefix}%`))}::text[])`);
  if (entityTypes.length > 0) conditions.push(`t.entity_type = ANY (${param(entityTypes)}::text[])`);
  if (industries.length > 0) conditions.push(`t.industry = ANY (${param(industries)}::text[])`);
  if (licenceItemCodes.length > 0) {
    conditions.push(
      `EXISTS (SELECT 1 FROM target_licence l WHERE l.uscc = t.uscc AND l.status = 'active' AND l.item_code = ANY (${param(licenceItemCodes)}::text[]))`,
    );
  }
  if (task.excludeInspectedWithinDays !== null) {
    conditions.push(
      `NOT EXISTS (SELECT 1 FROM target_item_inspection i WHERE i.uscc = t.uscc AND i.item_code = ANY (${param(task.items.map((item) => item.code))}::text[])
         AND i.inspected_at > now() - make_interval(days => ${param(task.excludeInspectedWithinDays)}::int))`,
    );
  }
  if (redListIntervalDays > 0 && !task.items.some((item) => item.kind === 'key')) {
    conditions.push(
      `NOT (t.red_list AND t.last_inspected_at IS NOT NULL AND t.last_inspected_at > now() - make_interval(days => ${param(redListIntervalDays)}::int))`,
    );
  }
  return { sql: conditions.join(' AND '), params };
}
