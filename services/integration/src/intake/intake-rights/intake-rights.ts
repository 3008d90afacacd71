import { INTAKE_EVENT_CLASSES } from '@backbone/contracts';

/** CloudEvents type → the departments that may post it at the intake. */
export type IntakeRights = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Development defaults (local policy, change per deployment): sector approval systems of the health
 * commission and the drug administration; the 12345 hotline; inspection results from those sectors and
 * the market regulator.
 */
export const DEFAULT_INTAKE_RIGHTS =
  'backbone.integration.sector-approval-decided.v1=320700-HEALTH|320700-MPA;' +
  'backbone.integration.hotline-complaint-received.v1=320700-HOTLINE;' +
  'backbone.integration.sector-inspection-recorded.v1=320700-HEALTH|320700-MPA|320700-SAMR';

const DEPARTMENT = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Parses INTAKE_RIGHTS: `type=DEPT|DEPT;type=DEPT`. Every type must be an intake type of the contracts
 * (INTAKE_EVENT_CLASSES); throws naming each problem.
 */
export function parseIntakeRights(value: string): IntakeRights {
  const known = new Set<string>(INTAKE_EVENT_CLASSES.map((eventClass) => eventClass.type));
  const rights = new Map<string, Set<string>>();
  const problems: string[] = [];
  for (const entry of value
    .split(';')
    .map((each) => each.trim())
    .filter(Boolean)) {
    const [type, departments, ...rest] = entry.split('=');
    if (rest.length > 0 || !departments) {
      problems.push(`"${entry}" is not type=DEPT|DEPT`);
      continue;
    }
    if (!known.has(type)) problems.push(`${type} is not an intake event type (${[...known].join(', ')})`);
    const list = departments.split('|').map((each) => each.trim());
    const bad = list.filter((department) => !DEPARTMENT.test(department));
    if (bad.length > 0) problems.push(`${type}: ${bad.map((each) => `"${each}"`).join(', ')} is not a department code`);
    if (rights.has(type)) problems.push(`${type} is listed twice`);
    rights.set(type, new Set(list));
  }
  if (problems.length > 0) throw new Error(`INTAKE_RIGHTS: ${problems.join('; ')}`);
  return rights;
}

/** The rights as a plain object (for documents and the rights endpoint). */
export function rightsTable(rights: IntakeRights): Record<string, string[]> {
  return Object.fromEntries([...rights].map(([type, departments]) => [type, [...departments].sort()]));
}
