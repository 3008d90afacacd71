import { DomainError } from '@backbone/platform';
import type { PenaltyKind } from '@backbone/contracts';
import type { Penalty } from '../cases/penalty-decision.entity';
import { EnforcementError } from '../enforcement.errors';

export const SEVERITIES = ['minor', 'general', 'serious'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const FIRST_MINOR_TREATMENTS = ['none', 'no_penalty', 'light_penalty'] as const;
export type FirstMinorTreatment = (typeof FIRST_MINOR_TREATMENTS)[number];

/** What a minor first violation on each list may be answered with. */
export const FIRST_MINOR_MEASURES: Readonly<Record<Exclude<FirstMinorTreatment, 'none'>, readonly PenaltyKind[]>> = {
  /** 免罚清单: no administrative penalty; the entity is ordered to correct by a deadline. */
  no_penalty: ['order_to_correct'],
  /** 轻罚清单: a warning and/or an order to correct by a deadline, no fine. */
  light_penalty: ['warning', 'order_to_correct'],
};

export interface Benchmark {
  violationCode: string;
  severity: Severity;
  basis: string;
  measures: PenaltyKind[];
  minFine: number | null;
  maxFine: number | null;
  firstMinor: FirstMinorTreatment;
}

export interface DiscretionInput {
  violationCodes: readonly string[];
  severity: Severity;
  penalties: readonly Penalty[];
  /** Every benchmark of the case's violation codes (any severity). */
  benchmarks: readonly Benchmark[];
  /** Violation codes of this entity's earlier decided cases. */
  earlierViolationCodes: ReadonlySet<string>;
}

export interface DiscretionOutcome {
  benchmarks: Benchmark[];
  /** The list that applied, when the case is a minor first violation of listed codes. */
  list: Exclude<FirstMinorTreatment, 'none'> | null;
}

const name = (benchmark: Benchmark) => `${benchmark.violationCode}/${benchmark.severity} (${benchmark.basis})`;

/**
 * The list that applies to a case, if any. A minor first violation (一般为首次轻微违法) is: severity
 * `minor`, and no earlier decided case of the same entity named the same violation code. The lists
 * apply only when every violation of the case is such a first minor violation on a list; the
 * no-penalty list applies when all of them are on it, otherwise the light-penalty list.
 */
export function firstMinorList(
  severity: Severity,
  benchmarks: readonly Benchmark[],
  earlierViolationCodes: ReadonlySet<string>,
): Exclude<FirstMinorTreatment, 'none'> | null {
  if (severity !== 'minor' || benchmarks.length === 0) return null;
  const listed = benchmarks.every((benchmark) => benchmark.firstMinor !== 'none' && !earlierViolationCodes.has(benchmark.violationCode));
  if (!listed) return null;
  return benchmarks.every((benchmark) => benchmark.firstMinor === 'no_penalty') ? 'no_penalty' : 'light_penalty';
}

/**
 * Checks a decision against the discretion benchmarks of its case's violations at its severity, and
 * against the no-penalty and light-penalty lists. Several violations in one case: the measures allowed
 * are those of any of their benchmarks, and the total fine lies between the lowest minimum and the sum
 * of the maxima (each violation weighed, the fines added: 分别裁量、合并处罚).
 */
export function checkDiscretion(input: DiscretionInput): DiscretionOutcome {
  const applied: Benchmark[] = [];
  for (const code of input.violationCodes) {
    const benchmark = input.benchmarks.find((candidate) => candidate.violationCode === code && candidate.severity === input.severity);
    if (!benchmark) {
      throw new DomainError(
        EnforcementError.NO_BENCHMARK,
        `no discretion benchmark for violation ${code} at severity ${input.severity}: the decision has no lawful range`,
        422,
        {
          violationCode: code,
          severity: input.severity,
        },
      );
    }
    applied.push(benchmark);
  }
  if (applied.length === 0) throw new DomainError(EnforcementError.NO_VIOLATION, 'the case names no violation to decide on', 422);

  const list = firstMinorList(input.severity, applied, input.earlierViolationCodes);
  if (list) {
    const allowed = FIRST_MINOR_MEASURES[list];
    const refused = input.penalties.filter((penalty) => !allowed.includes(penalty.kind));
    if (refused.length > 0) {
      throw new DomainError(
        EnforcementError.FIRST_MINOR_VIOLATION_LIST,
        `a minor first violation of ${applied.map((b) => b.violationCode).join(', ')} is on the ${list.replace('_', '-')} list: only ${allowed.join(' or ')}, not ${refused.map((p) => p.kind).join(', ')}`,
        422,
        { list, allowed, benchmarks: applied.map(name) },
      );
    }
    return { benchmarks: applied, list };
  }

  const allowed = new Set(applied.flatMap((benchmark) => benchmark.measures));
  const outside = input.penalties.filter((penalty) => !allowed.has(penalty.kind));
  if (outside.length > 0) {
    throw new DomainError(
      EnforcementError.OUTSIDE_BENCHMARK,
      `${outside.map((p) => p.kind).join(', ')} is not a measure of benchmark ${applied.map(name).join('; ')} (allowed: ${[...allowed].join(', ')})`,
      422,
      { benchmarks: applied.map(name), allowed: [...allowed] },
    );
  }
  const fines = input.penalties.filter((penalty) => penalty.kind === 'fine');
  if (fines.length > 0) {
    const ranged = applied.filter((benchmark) => benchmark.minFine !== null && benchmark.maxFine !== null);
    const min = Math.min(...ranged.map((benchmark) => benchmark.minFine ?? 0));
    const max = ranged.reduce((sum, benchmark) => sum + (benchmark.maxFine ?? 0), 0);
    const total = fines.reduce((sum, fine) => sum + (fine.amount ?? 0), 0);
    if (ranged.length === 0 || total < min || total > max) {
      throw new DomainError(
        EnforcementError.OUTSIDE_BENCHMARK,
        `a fine of ${total} yuan is outside benchmark ${applied.map(name).join('; ')}: ${ranged.length ? `${min}–${max} yuan` : 'no fine range'}`,
        422,
        { benchmarks: applied.map(name), minFine: ranged.length ? min : null, maxFine: ranged.length ? max : null, fine: total },
      );
    }
  }
  return { benchmarks: applied, list: null };
}
