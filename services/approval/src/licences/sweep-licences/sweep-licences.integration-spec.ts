import { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { MESSAGING_ENTITIES, Outbox, OutboxSignal } from '@backbone/messaging';
import { migratedTestDatabase, queryPlan, resolveInfra, testUscc } from '@backbone/testing';
import { ApprovalConfig } from '../../approval.config';
import { APPROVAL_ENTITIES } from '../../approval.module';
import { APPROVAL_MIGRATIONS } from '../../migrations';
import { LicenceLifecycle } from '../licence-lifecycle.service';
import { DUE_LICENCES, SweepLicencesService } from './sweep-licences.service';

/** The sweep's statement before ADR 0085: the same licences, one arm per state. */
const DUE_LICENCES_BEFORE = `
  SELECT id FROM approval
   WHERE (licence_status = 'suspended' AND (suspended_until <= $1 OR valid_until <= $1))
      OR (licence_status = 'active' AND valid_until <= $1)
   ORDER BY id`;

const AS_OF = new Date('2026-12-01T00:00:00.000Z');
const DAY = 86_400_000;
const at = (offset: number) => new Date(AS_OF.getTime() + offset).toISOString();

/** Licences in every state, due or just not, each with an id that names it. */
const NAMED = [
  { id: 'a0000000-0000-4000-8000-000000000001', status: 'active', suspendedUntil: null, validUntil: at(-DAY), becomes: 'expired' },
  { id: 'a0000000-0000-4000-8000-000000000002', status: 'active', suspendedUntil: null, validUntil: at(0), becomes: 'expired' },
  { id: 'a0000000-0000-4000-8000-000000000003', status: 'active', suspendedUntil: null, validUntil: at(1), becomes: 'active' },
  { id: 'a0000000-0000-4000-8000-000000000004', status: 'active', suspendedUntil: null, validUntil: null, becomes: 'active' },
  { id: 'a0000000-0000-4000-8000-000000000005', status: 'suspended', suspendedUntil: at(-1), validUntil: at(DAY), becomes: 'active' },
  { id: 'a0000000-0000-4000-8000-000000000006', status: 'suspended', suspendedUntil: at(DAY), validUntil: at(-1), becomes: 'expired' },
  { id: 'a0000000-0000-4000-8000-000000000007', status: 'suspended', suspendedUntil: at(-DAY), validUntil: at(-1), becomes: 'expired' },
  { id: 'a0000000-0000-4000-8000-000000000008', status: 'suspended', suspendedUntil: null, validUntil: at(-1), becomes: 'expired' },
  { id: 'a0000000-0000-4000-8000-000000000009', status: 'suspended', suspendedUntil: at(-1), validUntil: null, becomes: 'active' },
  { id: 'a0000000-0000-4000-8000-00000000000a', status: 'suspended', suspendedUntil: at(1), validUntil: at(1), becomes: 'suspended' },
  { id: 'a0000000-0000-4000-8000-00000000000b', status: 'expired', suspendedUntil: null, validUntil: at(-DAY), becomes: 'expired' },
  { id: 'a0000000-0000-4000-8000-00000000000c', status: 'revoked', suspendedUntil: null, validUntil: at(-DAY), becomes: 'revoked' },
  { id: 'a0000000-0000-4000-8000-00000000000d', status: 'cancelled', suspendedUntil: null, validUntil: at(-DAY), becomes: 'cancelled' },
] as const;
/** More licences whose validity ended than one round of the sweep takes. */
const MORE_ENDED = 250;
const DUE = NAMED.filter((licence) => licence.becomes !== licence.status).length + MORE_ENDED;

/**
 * The licence sweep runs every 60 s on each replica over the approval table, the system's biggest.
 * Against real PostgreSQL with the service's migrations and 50,000 approvals: its statement finds the
 * licences due by the two partial indexes of ends, not by walking the table (ADR 0085), picks the same
 * licences as the statement it replaced, and the sweep moves exactly those.
 */
describe('the licence sweep over many approvals', () => {
  let db: DataSource;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ dataSource: db, drop } = await migratedTestDatabase(await resolveInfra(), 'approval_licence_sweep', APPROVAL_MIGRATIONS));
    const insert = (select: string, parameters: unknown[] = []) =>
      db.query(
        `INSERT INTO approval (id, version, correlation_id, application_number, uscc, entity_name, item_code, region_code,
           approver_department, kind, outcome, licence_status, suspended_until, decided_at, valid_until, supervision_status)
         SELECT id, 1, gen_random_uuid(), 'A-' || n, $2, '测试', 'FOOD-BUSINESS-LICENCE', '320703',
           '320700-APPROVAL', 'licence', CASE WHEN status = 'none' THEN 'refused' ELSE 'granted' END, status, suspended_until,
           $1::timestamptz - interval '1 year', valid_until, 'claimed'
         FROM (${select}) AS licence (id, n, status, suspended_until, valid_until)`,
        [AS_OF, testUscc(8_500_001), ...parameters],
      );
    // Mostly not due: refused, active for years yet or without a validity, ended already (expired, revoked),
    // suspended until later.
    await insert(`
      SELECT gen_random_uuid(), i,
        CASE WHEN i % 10 = 0 THEN 'none' WHEN i % 100 = 1 THEN 'expired' WHEN i % 500 = 7 THEN 'revoked'
             WHEN i % 200 = 3 THEN 'suspended' ELSE 'active' END,
        CASE WHEN i % 200 = 3 THEN $1::timestamptz + (i % 30 + 1) * interval '1 day' END,
        CASE WHEN i % 10 = 0 OR i % 5 = 2 THEN NULL
             WHEN i % 100 = 1 OR i % 500 = 7 THEN $1::timestamptz - (i % 365 + 1) * interval '1 day'
             ELSE $1::timestamptz + (i % 1800 + 1) * interval '1 day' END
      FROM generate_series(1, 50000) AS i`);
    await insert(
      `SELECT gen_random_uuid(), 100000 + i, 'active', NULL::timestamptz, $1::timestamptz - i * interval '1 minute'
         FROM generate_series(1, $3::int) AS i`,
      [MORE_ENDED],
    );
    await insert(
      `SELECT (x->>'id')::uuid, 200000 + i, x->>'status', (x->>'suspendedUntil')::timestamptz, (x->>'validUntil')::timestamptz
                    FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS named (x, i)`,
      [JSON.stringify(NAMED)],
    );
    await db.query(`ANALYZE approval`);
  });

  afterAll(async () => {
    await drop?.();
  });

  it('finds the licences due by the indexes of suspension and validity ends, not by walking the table', async () => {
    const text = await queryPlan(db, DUE_LICENCES, [AS_OF]);
    // Each index read by the end it holds: scanned whole, approval_suspension_end would give every
    // suspended licence (the statement's earlier form did that).
    expect(text).toMatch(/approval_suspension_end .*\n\s*Index Cond: \(suspended_until <= /);
    expect(text).toMatch(/approval_validity_end .*\n\s*Index Cond: \(valid_until <= /);
    expect(text).not.toContain('Seq Scan on approval');
    expect(text).not.toContain('approval_pkey');
  });

  it('picks the same licences as the statement it replaced, a round of 200 in id order', async () => {
    const before: { id: string }[] = await db.query(DUE_LICENCES_BEFORE, [AS_OF]);
    expect(before).toHaveLength(DUE);
    expect(await db.query(DUE_LICENCES, [AS_OF])).toEqual(before.slice(0, 200));
  });

  it('moves every licence due and no other, in rounds, and then has nothing left to do', async () => {
    const entities = new DataSource({
      ...(db.options as PostgresConnectionOptions),
      entities: [...MESSAGING_ENTITIES, ...APPROVAL_ENTITIES],
      migrations: [],
    });
    await entities.initialize();
    try {
      const sweeps = new SweepLicencesService(
        entities,
        new LicenceLifecycle(new Outbox('approval', new OutboxSignal(entities))),
        new ApprovalConfig(),
      );
      const due: { id: string }[] = await db.query(DUE_LICENCES_BEFORE, [AS_OF]);
      const result = await sweeps.sweep(AS_OF);
      expect(new Set(result.transitions.map((transition) => transition.approvalId))).toEqual(new Set(due.map(({ id }) => id)));

      const named: { id: string; licence_status: string }[] = await db.query(
        `SELECT id, licence_status FROM approval WHERE id = ANY($1::uuid[]) ORDER BY id`,
        [NAMED.map(({ id }) => id)],
      );
      expect(named).toEqual(NAMED.map(({ id, becomes }) => ({ id, licence_status: becomes })));
      expect((await sweeps.sweep(AS_OF)).transitions).toEqual([]);
    } finally {
      await entities.destroy();
    }
  });
});
