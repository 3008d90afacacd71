import { DataSource, QueryRunner } from 'typeorm';
import { migratedTestDatabase, queryPlan, resolveInfra } from '@backbone/testing';
import { SUPERVISION_MIGRATIONS } from '../../migrations';
import { ledgerBucketColumns } from '@backbone/contracts';
import { BUCKETS_HERE, COUNT_UNROUTED, OPEN_GAP_COUNTS_HERE } from './reconcile.service';
import { TASKLESS_IN, TasklessApprovals } from './taskless-approvals';

const DAY = 86_400_000;
/** Decided approvals seen, one every 172.8 s over 120 days; the reconciliation's period is the last quarter. */
const SEEN = 60_000;

/**
 * What the reconciliation runs every minute, against real PostgreSQL with the service's migrations and
 * 120 days of decided approvals: the vacuum is counted from the index of waiting approvals, and the
 * period's approvals are read from the index of decision times alone, never from the table (ADR 0086).
 */
describe('the reconciliation by index', () => {
  let db: DataSource;
  let drop: (() => Promise<void>) | undefined;
  const asOf = new Date('2026-06-10T04:00:00.000Z');
  const from = new Date(asOf.getTime() - 30 * DAY);

  beforeAll(async () => {
    ({ dataSource: db, drop } = await migratedTestDatabase(await resolveInfra(), 'supervision_reconcile', SUPERVISION_MIGRATIONS));
    // Approval i was decided (60,000 − i) × 172.8 s before asOf, so the period holds i = 45,000…59,999;
    // one in 20 was refused. Of the period's granted ones, by i: 1 and 51 (mod 100) have no task (the first
    // waits in the vacuum), 2 (mod 50) is assigned, 3 assigned and escalated, 4 returned, 5 closed, the
    // rest claimed.
    await db.query(
      `INSERT INTO approval_seen (approval_id, version, uscc, item_code, region_code, kind, approver_department, outcome, decided_at)
       SELECT md5('seen-' || i)::uuid, 1, 'U' || lpad((i % 5000)::text, 17, '0'), 'FOOD-BUSINESS-LICENCE', '320703', 'licence',
              '320700-APPROVAL', CASE WHEN i % 20 = 0 THEN 'refused' ELSE 'granted' END, $1::timestamptz - ($2 - i) * interval '172.8 seconds'
         FROM generate_series(1, $2 - 1) AS i`,
      [asOf, SEEN],
    );
    await db.query(
      `INSERT INTO supervision_task (id, approval_id, approval_version, correlation_id, uscc, item_code, region_code, approver_department,
              assigned_department, routing_rule, routing_basis, status, assigned_at, assigned_by, claim_deadline, escalated_at)
       SELECT md5('task-' || i)::uuid, md5('seen-' || i)::uuid, 1, 'c-' || i, 'U' || lpad((i % 5000)::text, 17, '0'),
              'FOOD-BUSINESS-LICENCE', '320703', '320700-APPROVAL', '320700-SAMR', 'separated', 'separated',
              CASE i % 50 WHEN 2 THEN 'assigned' WHEN 3 THEN 'assigned' WHEN 4 THEN 'returned' WHEN 5 THEN 'closed' ELSE 'claimed' END,
              $1, 'routing', $1, CASE WHEN i % 50 = 3 THEN $1::timestamptz END
         FROM generate_series(45000, $2 - 1) AS i WHERE i % 20 <> 0 AND i % 50 <> 1`,
      [asOf, SEEN],
    );
    // The vacuum: the period's approvals without a task (those at 51 routed since), and 20,000 older ones,
    // all but 50 of them routed long ago.
    await db.query(
      `INSERT INTO unrouted_approval (approval_id, correlation_id, uscc, item_code, region_code, approver_department, reason, recorded_at, routed_at)
       SELECT md5('seen-' || i)::uuid, 'c-' || i, 'U', 'UNCATALOGUED', '320703', '320700-APPROVAL', 'no catalog entry',
              $1::timestamptz - ($2 - i) * interval '172.8 seconds', CASE WHEN i % 100 = 51 THEN $1::timestamptz END
         FROM generate_series(45000, $2 - 1) AS i WHERE i % 50 = 1
       UNION ALL
       SELECT md5('vacuum-' || i)::uuid, 'c-' || i, 'U', 'UNCATALOGUED', '320703', '320700-APPROVAL', 'no catalog entry',
              $1::timestamptz - interval '200 days' + i * interval '1 minute', CASE WHEN i % 400 <> 0 THEN $1::timestamptz - interval '100 days' END
         FROM generate_series(1, 20000) AS i`,
      [asOf, SEEN],
    );
    // As autovacuum leaves tables that are mostly inserted into: statistics, and pages marked all-visible.
    for (const table of ['approval_seen', 'supervision_task', 'unrouted_approval']) await db.query(`VACUUM ANALYZE ${table}`);
  });

  afterAll(async () => {
    await drop?.();
  });

  /** The period's granted approvals by i, as the inserts above lay them out. */
  function periodGranted(): number[] {
    const granted: number[] = [];
    for (let i = 45_000; i < SEEN; i += 1) if (i % 20 !== 0) granted.push(i);
    return granted;
  }

  it('counts the approvals waiting in the vacuum from their index, not the 20,300 rows of the table', async () => {
    const plan = await queryPlan(db, COUNT_UNROUTED);
    expect(plan).toContain('unrouted_approval_open');
    expect(plan).not.toContain('Seq Scan on unrouted_approval');

    const [open] = await db.query(COUNT_UNROUTED);
    expect(open.n).toBe(periodGranted().filter((i) => i % 100 === 1).length + 50);
  });

  it("counts the period's open gaps by reason from the indexes of what is open", async () => {
    const plan = await queryPlan(db, OPEN_GAP_COUNTS_HERE, [from, asOf]);
    // From what can be a gap (ADR 0126, 0127): the vacuum's waiting approvals and the open tasks by their partial
    // indexes, the waiting ones' tasks looked up one by one; no table read whole.
    expect(plan).toContain('Index Only Scan using unrouted_approval_open');
    expect(plan).toContain('supervision_task_returned');
    expect(plan).not.toContain('Seq Scan');

    const rows: Array<{ reason: string; n: number }> = await db.query(OPEN_GAP_COUNTS_HERE, [from, asOf]);
    const counts = Object.fromEntries(rows.map(({ reason, n }) => [reason, n]));
    const granted = periodGranted();
    expect(counts).toEqual({
      unrouted: granted.filter((i) => i % 100 === 1).length,
      assigned_unclaimed: granted.filter((i) => i % 50 === 2).length,
      returned: granted.filter((i) => i % 50 === 4).length,
    });
  });

  it('counts the approvals without a task over the whole period at the first tick, by an index-only anti-join', async () => {
    const plan = await queryPlan(db, TASKLESS_IN, [[from], [asOf]]);
    expect(plan).toContain('Index Only Scan using approval_seen_decided_covering on approval_seen');
    expect(plan).toContain('Anti Join');

    // Routed out of the vacuum (51 mod 100) and no task: the vacuum's own (1 mod 100) are counted as unrouted.
    expect(await new TasklessApprovals({ settleMs: 30_000, slices: 60, remember: 10_000 }).count(db, from, asOf)).toBe(
      periodGranted().filter((i) => i % 100 === 51).length,
    );
  });

  describe('at the ticks after the first (ADR 0127)', () => {
    const MINUTE = 60_000;
    const taskless = periodGranted().filter((i) => i % 100 === 51).length;
    let tx: QueryRunner;
    let windows: Array<{ starts: Date[]; ends: Date[] }>;
    /** The tick's transaction, with the windows each tick read the period's approvals in. */
    let session: { query(text: string, parameters?: unknown[]): Promise<unknown> };

    beforeEach(async () => {
      tx = db.createQueryRunner();
      await tx.startTransaction();
      windows = [];
      session = {
        query: (text, parameters) => {
          if (text === TASKLESS_IN) windows.push({ starts: (parameters as Date[][])[0], ends: (parameters as Date[][])[1] });
          return tx.query(text, parameters);
        },
      };
    });

    afterEach(async () => {
      await tx.rollbackTransaction();
      await tx.release();
    });

    const tick = (gaps: TasklessApprovals, minutes: number) =>
      gaps.count(session as never, new Date(from.getTime() + minutes * MINUTE), new Date(asOf.getTime() + minutes * MINUTE));

    const seen = (id: string, decidedAt: Date) =>
      tx.query(
        `INSERT INTO approval_seen (approval_id, version, uscc, item_code, region_code, kind, approver_department, outcome, decided_at)
         VALUES (md5($1)::uuid, 1, 'U', 'FOOD-BUSINESS-LICENCE', '320703', 'licence', '320700-APPROVAL', 'granted', $2)`,
        [id, decidedAt],
      );

    it('reads only the decisions since the last tick and a slice, finds a new one, and forgets one given a task', async () => {
      const gaps = new TasklessApprovals({ settleMs: 30_000, slices: 60, remember: 10_000 });
      expect(await tick(gaps, 0)).toBe(taskless);
      await seen('taskless-new', new Date(asOf.getTime() + 20_000));
      expect(await tick(gaps, 1)).toBe(taskless + 1);
      // One of those remembered, outside the windows read, gets its task: it was routed late, by hand.
      await tx.query(
        `INSERT INTO supervision_task (id, approval_id, approval_version, correlation_id, uscc, item_code, region_code, approver_department,
                assigned_department, routing_rule, routing_basis, status, assigned_at, assigned_by, claim_deadline)
         VALUES (md5('task-late')::uuid, md5('seen-59951')::uuid, 1, 'c-late', 'U', 'FOOD-BUSINESS-LICENCE', '320703', '320700-APPROVAL',
                 '320700-SAMR', 'separated', 'separated', 'claimed', $1, 'routing', $1)`,
        [asOf],
      );
      expect(await tick(gaps, 2)).toBe(taskless);

      const second = windows[1];
      const span = second.starts.reduce((sum, start, i) => sum + second.ends[i].getTime() - start.getTime(), 0);
      // The minute since the first tick and its 30 s margin, and a sixtieth of the 30 days: 12 h 1.5 min.
      expect(span).toBe(90_000 + (30 * DAY) / 60);
      expect(second.ends[second.ends.length - 1]).toEqual(new Date(asOf.getTime() + MINUTE));
    });

    it('finds an approval seen late with an old decision by the turn of its slice, within the slices a whole round takes', async () => {
      const gaps = new TasklessApprovals({ settleMs: 30_000, slices: 60, remember: 10_000 });
      expect(await tick(gaps, 0)).toBe(taskless);
      await seen('taskless-late', new Date(asOf.getTime() - 20 * DAY));
      const counted: number[] = [];
      for (let minute = 1; minute <= 60; minute++) counted.push(await tick(gaps, minute));
      const found = counted.indexOf(taskless + 1);
      expect(found).toBeGreaterThan(0); // not at once: its window had settled
      expect(counted.slice(found).every((n) => n === taskless + 1)).toBe(true); // and remembered after
    });

    it('does not remember more than it may: every tick then reads the whole period', async () => {
      const gaps = new TasklessApprovals({ settleMs: 30_000, slices: 60, remember: taskless - 1 });
      expect(await tick(gaps, 0)).toBe(taskless);
      expect(await tick(gaps, 1)).toBe(taskless);
      expect(windows[1]).toEqual({ starts: [new Date(from.getTime() + MINUTE)], ends: [new Date(asOf.getTime() + MINUTE)] });
    });
  });

  it("computes the period's hourly buckets, reading its approvals by an index-only scan", async () => {
    const plan = await queryPlan(db, BUCKETS_HERE, [from, asOf, 3600]);
    expect(plan).toContain('Index Only Scan using approval_seen_decided_covering on approval_seen');

    const buckets: Array<{ start: Date; granted: number }> = await db.query(BUCKETS_HERE, [from, asOf, 3600]);
    expect(buckets).toHaveLength(30 * 24);
    expect(buckets[0].start).toEqual(from);
    expect(buckets.reduce((sum, bucket) => sum + bucket.granted, 0)).toBe(periodGranted().length);
  });

  it('gives the same checksum as the ledger computes for the same approvals, and another when one approval differs', async () => {
    // The approval service's side of the comparison: the same SELECT list over its own table's columns.
    const ledger = (swap: boolean) =>
      db.query(
        `SELECT ${ledgerBucketColumns('id', 'decided_at')}
           FROM (SELECT CASE WHEN $4 AND approval_id = md5('seen-45001')::uuid THEN md5('elsewhere')::uuid ELSE approval_id END AS id, decided_at
                   FROM approval_seen WHERE outcome = 'granted') AS ledger
          WHERE decided_at >= $1 AND decided_at < $2 GROUP BY 1 ORDER BY 1`,
        [from, asOf, 3600, swap],
      );
    const here: Array<{ start: Date; granted: number; checksum: string }> = await db.query(BUCKETS_HERE, [from, asOf, 3600]);
    expect(await ledger(false)).toEqual(here);
    const swapped: typeof here = await ledger(true);
    const differing = swapped.filter((bucket, i) => bucket.checksum !== here[i].checksum || bucket.granted !== here[i].granted);
    expect(differing).toHaveLength(1);
    expect(differing[0].granted).toBe(here[swapped.indexOf(differing[0])].granted);
  });
});
