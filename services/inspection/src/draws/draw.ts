import { hash } from 'node:crypto';
import { ColumnarPool, sha256Hex, STRATA, Stratum, StrataPool, usccAt } from './canonical-pool';

/**
 * The draw (双随机): which entities are inspected, and by whom. Pure and deterministic: the same
 * (pool, seed, ratios, teams, inspector snapshot) give the same list, byte for byte, on any machine.
 * No I/O, no clock, no Math.random. The algorithm is documented step by step in
 * services/inspection/README.md ("The draw"), so that an outsider can write a verifier of their own;
 * `npm run verify-draw -- <task id>` is ours.
 *
 * Randomness: every random number is the first 8 bytes (big-endian, unsigned) of
 * SHA-256(UTF-8 of `seed|label`), reduced modulo the range. SHA-256 is in every language's standard
 * library, which a seeded PRNG package is not; the modulo bias (range / 2^64) is below 10^-12.
 */

export type RatiosBp = Record<Stratum, number>;

export interface DrawTeam {
  department: string;
  /** Inspectors this department sends to each drawn entity. */
  inspectorsPerEntity: number;
}

export interface DrawInspector {
  id: string;
  department: string;
}

export interface DrawInput {
  pool: ColumnarPool;
  seed: string;
  /** Ratio per stratum in basis points (1/10,000): 500 = 5 %. */
  ratiosBp: RatiosBp;
  /** Departments taking part, the lead first. Together at least two inspectors per entity. */
  teams: readonly DrawTeam[];
  /** Active inspectors of those departments when the pool was frozen. */
  inspectors: readonly DrawInspector[];
  /** Declared conflicts of interest (回避): this inspector never inspects this entity. */
  conflicts: readonly { uscc: string; inspectorId: string }[];
  /** The team of each entity's last inspection: no two of them inspect it together again. */
  lastTeams: readonly { uscc: string; inspectorIds: readonly string[] }[];
}

export interface DrawnTarget {
  uscc: string;
  stratum: Stratum;
  /** One entry per team, in team order; inspector ids in the order they were drawn. */
  inspectors: { department: string; inspectorIds: string[] }[];
}

export interface StratumFigures {
  stratum: Stratum;
  poolSize: number;
  ratioBp: number;
  drawn: number;
}

export interface DrawOutcome {
  /** Drawn entities in ascending USCC order. */
  targets: DrawnTarget[];
  strata: StratumFigures[];
  /** The canonical result text (see `canonicalResult`). */
  result: string;
  /** SHA-256 of `result`. */
  digest: string;
}

export type ShortfallReason = 'too_few_inspectors' | 'conflicts' | 'last_pair';

export interface Shortfall {
  uscc: string;
  department: string;
  needed: number;
  available: number;
  reason: ShortfallReason;
}

/** Too few inspectors for some drawn entity: the draw produces no list at all. */
export class DrawShortfall extends Error {
  constructor(readonly shortfalls: Shortfall[]) {
    const first = shortfalls[0];
    super(
      `too few inspectors: ${shortfalls.length} entity/department pair(s) short, first ${first.department} for ${first.uscc} ` +
        `(needs ${first.needed}, ${first.available} eligible: ${first.reason})`,
    );
    this.name = 'DrawShortfall';
  }
}

/** A uniform integer in [0, range) from SHA-256(`seed|label`). */
export function randomIndex(seed: string, label: string, range: number): number {
  if (!Number.isSafeInteger(range) || range < 1) throw new Error(`range must be a positive integer, got ${range}`);
  // One-shot hash: no Hash object (and its native state, freed only by a later GC) per number drawn.
  const digest = hash('sha256', `${seed}|${label}`, 'buffer');
  const value = digest.readBigUInt64BE(0);
  return Number(value % BigInt(range));
}

/** How many of `poolSize` entities a ratio draws: ceil(ratioBp × poolSize / 10,000), in integers. */
export function drawCount(ratioBp: number, poolSize: number): number {
  if (!Number.isInteger(ratioBp) || ratioBp < 0 || ratioBp > 10_000) throw new Error(`ratio ${ratioBp} bp is not within 0..10000`);
  return Math.floor((ratioBp * poolSize + 9_999) / 10_000);
}

/** The canonical result text: `USCC<TAB>STRATUM<TAB>DEPT:ID,ID;DEPT:ID<LF>` per drawn entity, by USCC. */
export function canonicalResult(targets: readonly DrawnTarget[]): string {
  return targets
    .map(
      (target) =>
        `${target.uscc}\t${target.stratum}\t${target.inspectors.map((team) => `${team.department}:${team.inspectorIds.join(',')}`).join(';')}\n`,
    )
    .join('');
}

/** Step 1: the entities, stratum by stratum (A, B, C, D, K), each by a partial Fisher–Yates shuffle. */
export function drawTargets(pool: StrataPool, seed: string, ratiosBp: RatiosBp): { picked: number[]; strata: StratumFigures[] } {
  if (seed.length === 0) throw new Error('seed: must not be empty');
  // Each stratum's members by pool index, in typed arrays sized by a first count (a million entries).
  const sizes = new Array<number>(STRATA.length).fill(0);
  for (let i = 0; i < pool.size; i++) sizes[pool.strata[i]]++;
  const members = sizes.map((size) => new Uint32Array(size));
  const filled = new Array<number>(STRATA.length).fill(0);
  for (let i = 0; i < pool.size; i++) members[pool.strata[i]][filled[pool.strata[i]]++] = i;
  const picked: number[] = [];
  const strata = STRATA.map((stratum, s) => {
    const indices = members[s];
    const ratioBp = ratiosBp[stratum];
    const n = drawCount(ratioBp, indices.length);
    for (let i = 0; i < n; i++) {
      const j = i + randomIndex(seed, `target|${stratum}|${i}`, indices.length - i);
      const chosen = indices[j];
      indices[j] = indices[i];
      indices[i] = chosen;
      picked.push(chosen);
    }
    return { stratum, poolSize: indices.length, ratioBp, drawn: n };
  });
  picked.sort((a, b) => a - b); // pool order is USCC order
  return { picked, strata };
}

/**
 * Step 2: the inspectors, entity by entity in USCC order, team by team. Eligible: the department's
 * inspectors without a declared conflict with the entity. Each pick takes, among the eligible ones not
 * yet on the team and not making a pair of the entity's last team, the least loaded so far in this draw;
 * ties go to the first in a rotation of the department's list (sorted by id) that starts at
 * randomIndex(seed, `inspectors|USCC|DEPARTMENT`, number eligible).
 */
export function drawInspectors(
  targets: readonly { uscc: string; stratum: Stratum }[],
  input: Pick<DrawInput, 'seed' | 'teams' | 'inspectors' | 'conflicts' | 'lastTeams'>,
): DrawnTarget[] {
  const perEntity = input.teams.reduce((sum, team) => sum + team.inspectorsPerEntity, 0);
  if (perEntity < 2) throw new Error('teams: at least two inspectors per entity');
  const byDepartment = new Map<string, string[]>();
  for (const team of input.teams) byDepartment.set(team.department, []);
  for (const inspector of input.inspectors) byDepartment.get(inspector.department)?.push(inspector.id);
  for (const ids of byDepartment.values()) ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const conflicts = new Map<string, Set<string>>();
  for (const { uscc, inspectorId } of input.conflicts) {
    if (!conflicts.has(uscc)) conflicts.set(uscc, new Set());
    conflicts.get(uscc)!.add(inspectorId);
  }
  const lastTeams = new Map(input.lastTeams.map(({ uscc, inspectorIds }) => [uscc, new Set(inspectorIds)]));
  const load = new Map<string, number>();
  const shortfalls: Shortfall[] = [];

  const drawn = targets.map(({ uscc, stratum }) => {
    const conflicted = conflicts.get(uscc);
    const last = lastTeams.get(uscc);
    const team = new Set<string>();
    let fromLastTeam = 0;
    const inspectors = input.teams.map(({ department, inspectorsPerEntity }) => {
      const all = byDepartment.get(department)!;
      const eligible = conflicted ? all.filter((id) => !conflicted.has(id)) : all;
      const chosen: string[] = [];
      if (eligible.length < inspectorsPerEntity) {
        shortfalls.push({
          uscc,
          department,
          needed: inspectorsPerEntity,
          available: eligible.length,
          reason: eligible.length < all.length ? 'conflicts' : 'too_few_inspectors',
        });
        return { department, inspectorIds: chosen };
      }
      const start = randomIndex(input.seed, `inspectors|${uscc}|${department}`, eligible.length);
      for (let pick = 0; pick < inspectorsPerEntity; pick++) {
        let best = -1;
        let bestLoad = Infinity;
        for (let k = 0; k < eligible.length; k++) {
          const id = eligible[(start + k) % eligible.length];
          if (team.has(id)) continue;
          if (last?.has(id) && fromLastTeam >= 1) continue; // would repeat a pair of the last team
          const l = load.get(id) ?? 0;
          if (l < bestLoad) {
            bestLoad = l;
            best = (start + k) % eligible.length;
          }
        }
        if (best < 0) {
          shortfalls.push({ uscc, department, needed: inspectorsPerEntity, available: chosen.length, reason: 'last_pair' });
          break;
        }
        const id = eligible[best];
        chosen.push(id);
        team.add(id);
        if (last?.has(id)) fromLastTeam++;
        load.set(id, bestLoad + 1);
      }
      return { department, inspectorIds: chosen };
    });
    return { uscc, stratum, inspectors };
  });
  if (shortfalls.length > 0) throw new DrawShortfall(shortfalls);
  return drawn;
}

/** Steps 2 and 3 for the entities step 1 drew: their inspectors, then the result text and its digest. */
export function completeDraw(
  entities: readonly { uscc: string; stratum: Stratum }[],
  strata: StratumFigures[],
  input: Pick<DrawInput, 'seed' | 'teams' | 'inspectors' | 'conflicts' | 'lastTeams'>,
): DrawOutcome {
  const targets = drawInspectors(entities, input);
  const result = canonicalResult(targets);
  return { targets, strata, result, digest: sha256Hex(result) };
}

/** The whole draw from the canonical text: entities, then inspectors, then the digest of the result. */
export function runDraw(input: DrawInput): DrawOutcome {
  const { picked, strata } = drawTargets(input.pool, input.seed, input.ratiosBp);
  const entities = picked.map((i) => ({ uscc: usccAt(input.pool, i), stratum: STRATA[input.pool.strata[i]] }));
  return completeDraw(entities, strata, input);
}
