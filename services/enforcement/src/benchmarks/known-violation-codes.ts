import { EntityManager, In } from 'typeorm';
import { DomainError } from '@backbone/platform';
import { EnforcementError } from '../enforcement.errors';
import { DiscretionBenchmark } from './discretion-benchmark.entity';

/**
 * A violation code named over REST must be one the discretion benchmarks define (the catalogue of
 * violations a penalty can be decided on): an unknown one is refused with 422 UNKNOWN_VIOLATION_CODE.
 */
export async function assertKnownViolationCodes(manager: EntityManager, codes: readonly string[], field = 'violationCodes'): Promise<void> {
  const wanted = [...new Set(codes)];
  if (wanted.length === 0) return;
  const known = new Set(
    (await manager.find(DiscretionBenchmark, { select: { violationCode: true }, where: { violationCode: In(wanted) } })).map(
      (benchmark) => benchmark.violationCode,
    ),
  );
  const unknown = wanted.filter((code) => !known.has(code));
  if (unknown.length > 0) {
    throw new DomainError(
      EnforcementError.UNKNOWN_VIOLATION_CODE,
      `${field}: ${unknown.length} code(s) have no discretion benchmark`,
      422,
      {
        field,
        unknown: unknown.filter((code) => /^[A-Z0-9-]{1,64}$/.test(code)),
      },
    );
  }
}
