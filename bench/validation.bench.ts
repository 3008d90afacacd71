/**
 * Validation benchmark (ADR 0011): the CPU one consumed payload costs, through class-transformer +
 * class-validator (`plainToInstance` + `validateSync`, as every hop did) and through `checkedPayload`
 * (the compiled path), for the events of the loop and two with nested objects; and a `POST /approvals` body
 * through Nest's ValidationPipe against the platform's pipe (which takes the compiled path). In process, no I/O.
 *
 *   npm run build && node dist/bench/validation.bench.js
 *
 * Knobs (environment): BENCH_VALIDATIONS (20000 per event class and path), BENCH_ROUNDS (3; the best is printed).
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  ApprovalDecidedV2,
  checkedPayload,
  EventClass,
  InspectionRecordedV2,
  TaskAssignedV1,
  TaskClaimedV1,
  CreditStatusChangedV1,
} from '@backbone/contracts';
import { requestValidationPipe } from '@backbone/platform';
import { decidedApproval, testUscc } from '@backbone/testing';
import { ValidationPipe } from '@nestjs/common';
import { DecideApprovalRequest } from '../services/approval/src/approvals/decide-approval/decide-approval.request.dto';
import { knob, log } from './lib/util';

const VALIDATIONS = Math.floor(knob('BENCH_VALIDATIONS', 20_000));
const ROUNDS = Math.floor(knob('BENCH_ROUNDS', 3));

const uscc = testUscc(7);
const at = '2026-03-01T08:00:00.000Z';
const PAYLOADS: [EventClass, object][] = [
  [
    ApprovalDecidedV2,
    {
      ...decidedApproval(7, { licenceNumber: 'JY13207030000001', decidedAt: at, validUntil: '2031-03-01T00:00:00.000Z' }),
      delegation: { fromRegionCode: '320700', fromDepartment: '320700-APPROVAL' },
    },
  ],
  [
    TaskAssignedV1,
    {
      taskId: randomUUID(),
      approvalId: randomUUID(),
      uscc,
      itemCode: 'FOOD-BUSINESS-LICENCE',
      assignedDepartment: '320700-SAMR',
      routingRule: 'separated',
      claimDeadline: at,
    },
  ],
  [TaskClaimedV1, { taskId: randomUUID(), approvalId: randomUUID(), uscc, department: '320700-SAMR', handler: 'auto', claimedAt: at }],
  [
    InspectionRecordedV2,
    {
      inspectionId: randomUUID(),
      programme: 'random',
      inspectionTaskId: randomUUID(),
      taskReference: 'CC-2026-001',
      uscc,
      department: '320700-SAMR',
      inspectors: ['张三', '李四'],
      category: 'ordered_to_correct',
      result: 'non_compliant',
      violations: [{ code: 'FOOD-001', description: '未按规定公示' }],
      itemCodes: ['FOOD-BUSINESS-LICENCE'],
      evidenceRefs: ['file-1'],
      inspectedAt: at,
    },
  ],
  [
    CreditStatusChangedV1,
    {
      uscc,
      tier: 'C',
      previousTier: 'B',
      lists: ['abnormal_operation'],
      measures: ['stricter_review', 'higher_inspection_ratio'],
      facts: [
        { kind: 'penalty', description: '罚款', sourceEventId: randomUUID() },
        { kind: 'list_entry', description: '列入经营异常名录' },
      ],
      effectiveAt: at,
    },
  ],
];

/** CPU microseconds per call of `work` over copies of `json` (each call gets its own parsed copy, as a consumer does). */
async function cpuPerCall(json: string, work: (data: object) => unknown): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const inputs = Array.from({ length: VALIDATIONS }, () => JSON.parse(json) as object);
    const start = process.cpuUsage();
    for (const input of inputs) await work(input);
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / VALIDATIONS);
  }
  return best;
}

/** POST /approvals: Nest's ValidationPipe with the platform's options, against the platform's pipe (compiled path). */
async function requestBody(): Promise<string> {
  const body = JSON.stringify({
    applicationNumber: 'LYG-2026-000123',
    uscc,
    entityName: '连云港某某食品有限公司',
    itemCode: 'FOOD-BUSINESS-LICENCE',
    regionCode: '320703',
    kind: 'licence',
    outcome: 'granted',
    licenceNumber: 'JY13207030000001',
    validUntil: '2031-03-01',
  });
  const metadata = { type: 'body' as const, metatype: DecideApprovalRequest, data: undefined };
  const nest = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });
  const platform = requestValidationPipe();
  const libraries = await cpuPerCall(body, (data) => nest.transform(data, metadata));
  const compiled = await cpuPerCall(body, (data) => platform.transform(data, metadata));
  return `${'POST /approvals body (pipe)'.padEnd(40)} | ${libraries.toFixed(1).padStart(9)} | ${compiled.toFixed(1).padStart(8)} | ${(libraries / compiled).toFixed(1).padStart(5)}×`;
}

async function main(): Promise<void> {
  log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${VALIDATIONS} payloads per class and path, best of ${ROUNDS}`,
  );
  const rows: string[] = [];
  for (const [eventClass, payload] of PAYLOADS) {
    const json = JSON.stringify(payload);
    if (checkedPayload(eventClass, JSON.parse(json)).problems.length > 0) throw new Error(`${eventClass.type}: the sample is invalid`);
    const libraries = await cpuPerCall(json, (data) => {
      const instance = plainToInstance(eventClass, data);
      if (validateSync(instance, { whitelist: true, forbidNonWhitelisted: true }).length > 0) throw new Error('invalid');
    });
    const compiled = await cpuPerCall(json, (data) => {
      if (checkedPayload(eventClass, data).problems.length > 0) throw new Error('invalid');
    });
    rows.push(
      `${eventClass.type.padEnd(40)} | ${libraries.toFixed(1).padStart(9)} | ${compiled.toFixed(1).padStart(8)} | ${(libraries / compiled).toFixed(1).padStart(5)}×`,
    );
  }
  rows.push(await requestBody());
  process.stdout.write(
    `\n== validation of one consumed payload (CPU µs per call) ==\n${'event type'.padEnd(40)} | libraries | compiled | ratio\n${rows.join('\n')}\n`,
  );
}

void main();
