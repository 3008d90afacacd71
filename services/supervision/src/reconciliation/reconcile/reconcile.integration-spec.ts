import { DataSource } from 'typeorm';
import { Metrics } from '@backbone/platform';
import { createTestDatabase, dropTestDatabase, resolveInfra, TestInfra } from '@backbone/testing';
import { SUPERVISION_MIGRATIONS } from '../../migrations';
import { GAP_REASONS, ReconcileService } from './reconcile.service';

/**
 * The periodic reconciliation counts its gaps in SQL; the report lists them in the service. Both must
 * say the same: one approval per case (claimed, closed, escalated, each kind of gap), outside the period too.
 */
describe('reconciliation: the gauge counts what the report lists', () => {
  let infra: TestInfra;
  let name: string;
  let db: DataSource;

  beforeAll(async () => {
    infra = await resolveInfra();
    name = await createTestDatabase(infra, 'supervision_reconcile');
    db = new DataSource({
      type: 'postgres',
      ...infra.database,
      username: infra.database.user,
      database: name,
      migrations: SUPERVISION_MIGRATIONS,
      migrationsTableName: 'schema_migrations',
      migrationsTransactionMode: 'each',
    });
    await db.initialize();
    await db.runMigrations();
  });

  afterAll(async () => {
    await db?.destroy();
    if (name) await dropTestDatabase(infra, name);
  });

  it('by reason, for the last 30 days', async () => {
    const now = new Date();
    const cases: Array<{ status: string | null; escalated?: boolean; unrouted?: 'open' | 'routed'; outcome?: string; daysAgo?: number }> = [
      { status: 'claimed' },
      { status: 'closed' },
      { status: 'assigned', escalated: true },
      { status: 'assigned' },
      { status: 'assigned' },
      { status: 'returned' },
      { status: null, unrouted: 'open' },
      { status: null, unrouted: 'routed' },
      { status: null },
      { status: 'assigned', outcome: 'refused' },
      { status: 'assigned', daysAgo: 31 },
    ];
    for (const [n, c] of cases.entries()) {
      const approvalId = `00000000-0000-4000-8000-${String(n + 1).padStart(12, '0')}`;
      const decidedAt = new Date(now.getTime() - (c.daysAgo ?? 1) * 86_400_000);
      await db.query(
        `INSERT INTO approval_seen (approval_id, version, uscc, item_code, region_code, kind, approver_department, outcome, decided_at)
         VALUES ($1, 1, '91320700MA1MXXK01L', 'FOOD-BUSINESS-LICENCE', '320703', 'licence', '320700-APPROVAL', $2, $3)`,
        [approvalId, c.outcome ?? 'granted', decidedAt],
      );
      if (c.status)
        await db.query(
          `INSERT INTO supervision_task (id, approval_id, approval_version, correlation_id, uscc, item_code, region_code, approver_department,
             assigned_department, routing_rule, routing_basis, assigned_by, assigned_at, catalog_entry_id, catalog_version, status, claim_deadline, escalated_at)
           VALUES (gen_random_uuid(), $1, 1, 'c', '91320700MA1MXXK01L', 'FOOD-BUSINESS-LICENCE', '320703', '320700-APPROVAL',
             '320700-SAMR', 'separated', 'separated', 'routing', now(), (SELECT id FROM catalog_entry LIMIT 1), 1, $2, now(), $3)`,
          [approvalId, c.status, c.escalated ? now : null],
        );
      if (c.unrouted)
        await db.query(
          `INSERT INTO unrouted_approval (approval_id, correlation_id, uscc, item_code, region_code, approver_department, reason, routed_at)
           VALUES ($1, 'c', '91320700MA1MXXK01L', 'FOOD-BUSINESS-LICENCE', '320703', '320700-APPROVAL', 'no catalog entry', $2)`,
          [approvalId, c.unrouted === 'routed' ? now : null],
        );
    }
    const metrics = new Metrics();
    const service = new ReconcileService(db, metrics);
    const report = await service.reconcile(new Date(now.getTime() - 30 * 86_400_000), now);
    await service.measure(now);

    const listed = Object.fromEntries(GAP_REASONS.map((reason) => [reason, report.gaps.filter((gap) => gap.reason === reason).length]));
    expect(listed).toEqual({ unrouted: 1, no_task: 2, returned: 1, assigned_unclaimed: 2 });
    const gauge = await metrics.registry.getSingleMetric('supervision_reconciliation_gaps')!.get();
    expect(Object.fromEntries(gauge.values.map((value) => [value.labels.reason, value.value]))).toEqual(listed);
  });
});
