import { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { MESSAGING_ENTITIES, Outbox, OutboxSignal } from '@backbone/messaging';
import { migratedTestDatabase, queryPlan, resolveInfra, testUscc } from '@backbone/testing';
import { ENFORCEMENT_ENTITIES } from '../../enforcement.module';
import { ENFORCEMENT_MIGRATIONS } from '../../migrations';
import { COMPLAINT_SWEEP_PAGE, RunComplaintSweepService } from './run-complaint-sweep.service';

const AS_OF = new Date('2026-12-01T02:00:00.000Z');
/** The end of the reminder window the sweep passes as $1. */
const REMIND_FROM = new Date(AS_OF.getTime() + (24 * 3600_000 - 1));
const NIL = '00000000-0000-0000-0000-000000000000';

/** Overdue and not yet escalated: more than a page of the sweep (500). */
const OVERDUE = 600;
/** In the reminder window and not yet reminded. */
const TO_REMIND = 30;

/**
 * The complaint sweep runs on a timer over every complaint not answered. Against real PostgreSQL with
 * the service's migrations, 40,000 complaints and a backlog of 10,000 escalated and still unanswered:
 * its page is read by the index of complaints it may still act on, so that backlog is not read again
 * at every sweep (ADR 0085), and the sweep still reminds and escalates exactly the complaints due, once.
 */
describe('the complaint sweep over many complaints', () => {
  let db: DataSource;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ dataSource: db, drop } = await migratedTestDatabase(await resolveInfra(), 'enforcement_complaint_sweep', ENFORCEMENT_MIGRATIONS));
    const insert = (select: string, parameters: unknown[] = []) =>
      db.query(
        `INSERT INTO complaint (id, uscc, department, kind, channel, complainant, content, violation_codes, status,
           registered_at, answer_deadline, answered_at, reminded_at, escalated_at)
         SELECT gen_random_uuid(), $2, '320700-SAMR', 'complaint', 'window', '张女士', '后厨脏乱', '[]', status,
           deadline - interval '15 days', deadline, answered_at, reminded_at, escalated_at
         FROM (${select}) AS c (n, status, deadline, answered_at, reminded_at, escalated_at)`,
        [AS_OF, testUscc(8_500_101), ...parameters],
      );
    // Answered (70 %), escalated and still unanswered (25 %: the backlog), open with a deadline to come.
    await insert(`
      SELECT i, CASE WHEN i % 20 < 14 THEN 'answered' ELSE 'accepted' END, d,
        CASE WHEN i % 20 < 14 THEN d - interval '2 days' END,
        CASE WHEN i % 20 BETWEEN 14 AND 18 THEN d - interval '20 hours' END,
        CASE WHEN i % 20 BETWEEN 14 AND 18 THEN d + interval '1 hour' END
      FROM generate_series(1, 40000) AS i,
        LATERAL (SELECT CASE WHEN i % 20 = 19 THEN $1::timestamptz + (i % 30 + 2) * interval '1 day'
                             ELSE $1::timestamptz - (i % 365 + 1) * interval '1 day' END AS d) AS deadline`);
    await insert(
      `SELECT i, 'accepted', $1::timestamptz - i * interval '1 minute', NULL::timestamptz, NULL::timestamptz, NULL::timestamptz
         FROM generate_series(1, $3::int) AS i`,
      [OVERDUE],
    );
    await insert(
      `SELECT i, 'registered', $1::timestamptz + i * interval '30 minutes', NULL::timestamptz,
              CASE WHEN i > $3::int THEN $1::timestamptz - interval '1 hour' END, NULL::timestamptz
         FROM generate_series(1, $3::int + 10) AS i`,
      [TO_REMIND],
    );
    await db.query(`ANALYZE complaint`);
  });

  afterAll(async () => {
    await drop?.();
  });

  it('reads its first and later pages by the index of complaints not escalated, not through the escalated backlog', async () => {
    const [after] = await db.query(
      `SELECT answer_deadline AS deadline, id FROM complaint WHERE escalated_at IS NULL AND status <> 'answered'
        ORDER BY answer_deadline, id OFFSET 499 LIMIT 1`,
    );
    for (const [deadline, id] of [
      ['-infinity', NIL],
      [after.deadline, after.id],
    ]) {
      const text = await queryPlan(db, COMPLAINT_SWEEP_PAGE, [REMIND_FROM, deadline, id]);
      // An ordered index scan for the first page, a bitmap scan of the same index for a later one.
      expect(text).toContain('complaint_unescalated_deadline');
      expect(text).not.toContain('complaint_open_deadline');
      expect(text).not.toContain('Seq Scan on complaint');
    }
  });

  it('escalates the overdue and reminds those in their last day, once, over more than a page; the backlog is left as it was', async () => {
    const entities = new DataSource({
      ...(db.options as PostgresConnectionOptions),
      entities: [...MESSAGING_ENTITIES, ...ENFORCEMENT_ENTITIES],
      migrations: [],
    });
    await entities.initialize();
    try {
      const sweep = new RunComplaintSweepService(entities, new Outbox('enforcement', new OutboxSignal(entities)));
      const ids = async (where: string): Promise<string[]> =>
        (await db.query(`SELECT id FROM complaint WHERE ${where} ORDER BY answer_deadline, id`)).map(({ id }: { id: string }) => id);
      const overdue = await ids(`escalated_at IS NULL AND status <> 'answered' AND answer_deadline < '${AS_OF.toISOString()}'`);
      const toRemind = await ids(`status = 'registered' AND reminded_at IS NULL`);
      expect([overdue.length, toRemind.length]).toEqual([OVERDUE, TO_REMIND]);
      const backlog = await db.query(`SELECT count(*)::int AS n, max(escalated_at) AS last FROM complaint WHERE escalated_at IS NOT NULL`);

      const first = await sweep.sweep(AS_OF);
      expect(first.escalated).toEqual(overdue);
      expect(first.reminded).toEqual(toRemind);
      expect(await ids(`escalated_at = '${AS_OF.toISOString()}'`)).toEqual(overdue);
      expect(await ids(`reminded_at = '${AS_OF.toISOString()}'`)).toEqual(toRemind);
      expect(
        await db.query(
          `SELECT count(*)::int AS n, max(escalated_at) AS last FROM complaint WHERE escalated_at IS NOT NULL AND escalated_at <> $1`,
          [AS_OF],
        ),
      ).toEqual(backlog);
      const [{ events }] = await db.query(`SELECT count(*)::int AS events FROM outbox`);
      expect(events).toBe(OVERDUE + TO_REMIND);

      expect(await sweep.sweep(AS_OF)).toEqual({ asOf: AS_OF.toISOString(), reminded: [], escalated: [] });
    } finally {
      await entities.destroy();
    }
  });
});
