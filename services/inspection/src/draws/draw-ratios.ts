import { STRATA, Stratum } from './canonical-pool';
import type { RatiosBp } from './draw';

/**
 * Example defaults of the ratio per stratum, in basis points. These are LOCAL POLICY, not law: the
 * documents only say that good credit / low risk is inspected less and dishonesty / high risk more
 * (000 三(一)3; 001 三(二)2). A region sets its own with INSPECTION_RATIOS_JSON.
 *   A (守信) 2 %, B 5 %, C 10 %, D (失信) 30 %, K (重点监管对象, key-supervision entities) 50 %.
 */
export const DEFAULT_RATIOS_BP: RatiosBp = { A: 200, B: 500, C: 1_000, D: 3_000, K: 5_000 };

export interface RatioItem {
  kind: 'key' | 'general';
  minRatioBp: number;
  maxRatioBp: number;
}

/**
 * The ratios a task draws with, from the base ratios, an optional multiplier per stratum and the
 * task's items (all participating departments' items):
 * 1. base × multiplier / 100 (rounded down), multiplier in percent (100 = unchanged). The multiplier is
 *    the hook for risk warnings (风险预警): a warning raising a stratum's ratio passes, e.g., `{ D: 150 }`.
 * 2. at least the highest `minRatioBp` of the task's items;
 * 3. at most: with any key item (重点检查事项) none below 100 %; with general items only, the lowest
 *    `maxRatioBp` among them (一般检查事项 strictly capped).
 */
export function effectiveRatios(
  base: RatiosBp,
  items: readonly RatioItem[],
  multipliersPercent: Partial<Record<Stratum, number>> = {},
): RatiosBp {
  if (items.length === 0) throw new Error('items: a task inspects at least one item');
  const hasKey = items.some((item) => item.kind === 'key');
  const cap = hasKey ? 10_000 : Math.min(...items.map((item) => item.maxRatioBp));
  const floor = Math.max(...items.map((item) => item.minRatioBp));
  const result = {} as RatiosBp;
  for (const stratum of STRATA) {
    const multiplier = multipliersPercent[stratum] ?? 100;
    if (!Number.isInteger(multiplier) || multiplier < 0) throw new Error(`multiplier for ${stratum}: a whole percent ≥ 0`);
    const raised = Math.floor((base[stratum] * multiplier) / 100);
    result[stratum] = Math.min(10_000, cap, Math.max(floor, raised));
  }
  return result;
}
