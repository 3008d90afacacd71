import { DataSource } from 'typeorm';
import { migratedTestDatabase, queryPlan, resolveInfra } from '@backbone/testing';
import { SUPERVISION_MIGRATIONS } from '../migrations';
import { SETTLE_NOTIFICATIONS } from './record-licence.service';

/**
 * A granted licence settles the double notifications waiting for its entity and item, once per batch of
 * decided approvals. Against real PostgreSQL with the service's migrations and many notifications
 * recorded: the statement finds its rows by the index of waiting ones, not by reading them all (ADR 0082).
 */
describe('settling double notifications by a granted licence', () => {
  let db: DataSource;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ dataSource: db, drop } = await migratedTestDatabase(await resolveInfra(), 'supervision_settle', SUPERVISION_MIGRATIONS));
  });

  afterAll(async () => {
    await drop?.();
  });

  it('settles only the waiting notifications of the entity and item, found by their index among 20,000', async () => {
    await db.query(`
      INSERT INTO entity_registration (id, uscc, entity_name, region_code, business_scope, item_codes, registered_by, registered_at, correlation_id)
      VALUES ('00000000-0000-4000-8000-00000000000a', '91320700MA1MXXK01L', '连云港测试有限公司', '320703', '餐饮服务',
        '{FOOD-BUSINESS-LICENCE}', '320700-SAMR', now(), 'c-registration')`);
    // One registration's notifications stand in for many entities': a USCC and an item each, half settled.
    await db.query(`
      INSERT INTO entity_notification (id, registration_id, uscc, entity_name, item_code, item_name, licensing_department,
        competent_department, licence_due_at, licensed_at, notified_at)
      SELECT gen_random_uuid(), '00000000-0000-4000-8000-00000000000a', 'U' || lpad(i::text, 17, '0'), '测试', 'ITEM-' || i, '许可',
        '320700-SAMR', '320700-SAMR', now() + interval '30 days', CASE WHEN i % 2 = 0 THEN now() END, now()
      FROM generate_series(1, 20000) AS i`);
    await db.query(`ANALYZE entity_notification`);

    const keys = [
      ['U' + '1'.padStart(17, '0'), 'ITEM-1'], // waiting
      ['U' + '2'.padStart(17, '0'), 'ITEM-2'], // settled before
      ['U' + '3'.padStart(17, '0'), 'ITEM-4'], // no such notification
    ];
    const params = [
      keys.map(([uscc]) => uscc),
      keys.map(([, item]) => item),
      keys.map(() => '2026-11-30T08:00:00.000Z'),
      keys.map((_, i) => `00000000-0000-4000-8000-00000000010${i}`),
    ];
    const text = await queryPlan(db, SETTLE_NOTIFICATIONS, params);
    expect(text).toContain('entity_notification_unlicensed');
    expect(text).not.toContain('Seq Scan on entity_notification');

    await db.query(SETTLE_NOTIFICATIONS, params);
    const settled = await db.query(
      `SELECT item_code, licence_approval_id FROM entity_notification WHERE licence_approval_id IS NOT NULL ORDER BY item_code`,
    );
    expect(settled).toEqual([{ item_code: 'ITEM-1', licence_approval_id: '00000000-0000-4000-8000-000000000100' }]);
  });
});
