import { COMPLAINT_CATEGORIES, COMPLAINT_KINDS, ComplaintCategory, ComplaintKind } from '@backbone/contracts';

/** Where a work order of one category goes (派单): the department that answers it, and its kind (sets the deadline). */
export interface HotlineRoute {
  department: string;
  kind: ComplaintKind;
}
export type HotlineRoutes = Readonly<Record<ComplaintCategory, HotlineRoute>>;

/**
 * Development default (local policy, change per deployment): the market regulator answers the work
 * orders about market entities (food safety, product quality, prices, unlicensed operation as a report
 * 举报); a deployment with an environment bureau among its departments routes `environment` there.
 */
export const DEFAULT_HOTLINE_ROUTES =
  'food_safety=320700-SAMR,product_quality=320700-SAMR,pricing=320700-SAMR,' +
  'unlicensed_operation=320700-SAMR:report,environment=320700-SAMR,other=320700-SAMR';

const DEPARTMENT = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Parses HOTLINE_ROUTES: `category=DEPT[:kind],…`, every complaint category once (a work order of a
 * category nobody answers would wait for nobody); the kind defaults to `complaint` (投诉). Throws naming
 * each problem.
 */
export function parseHotlineRoutes(value: string): HotlineRoutes {
  const routes: Partial<Record<ComplaintCategory, HotlineRoute>> = {};
  const problems: string[] = [];
  for (const entry of value
    .split(',')
    .map((each) => each.trim())
    .filter(Boolean)) {
    const match = /^([a-z_]+)=([^:=]+)(?::([a-z]+))?$/.exec(entry);
    if (!match) {
      problems.push(`"${entry}" is not category=DEPT[:kind]`);
      continue;
    }
    const [, category, department, kind = 'complaint'] = match;
    if (!(COMPLAINT_CATEGORIES as readonly string[]).includes(category))
      problems.push(`${category} is not a complaint category (${COMPLAINT_CATEGORIES.join(', ')})`);
    else if (routes[category as ComplaintCategory]) problems.push(`${category} is routed twice`);
    if (!DEPARTMENT.test(department)) problems.push(`${category}: "${department}" is not a department code`);
    if (!(COMPLAINT_KINDS as readonly string[]).includes(kind))
      problems.push(`${category}: ${kind} is not a kind (${COMPLAINT_KINDS.join(', ')})`);
    routes[category as ComplaintCategory] = { department, kind: kind as ComplaintKind };
  }
  const missing = COMPLAINT_CATEGORIES.filter((category) => !routes[category]);
  if (missing.length > 0) problems.push(`no department for ${missing.join(', ')}`);
  if (problems.length > 0) throw new Error(`HOTLINE_ROUTES: ${problems.join('; ')}`);
  return routes as HotlineRoutes;
}
