import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The handoff (issue #3): catalog entries with every element the documents name, versioned with
 * effective dates and a history; tasks that can be returned, re-routed, reminded, escalated and closed;
 * the supervision vacuum kept with the whole approval so that it can be routed later; approvals seen
 * (for reconciliation); double notification of registered entities; commitment verifications.
 */
export class Handoff1763800000220 implements MigrationInterface {
  name = 'Handoff1763800000220';

  async up(db: QueryRunner): Promise<void> {
    // Catalog: the elements of 000 三(一)1, 001 三(一)1 and 002 一(一)1; the approval items an entry covers.
    await db.query(`
      ALTER TABLE catalog_entry
        ADD COLUMN approval_item_codes text[],
        ADD COLUMN supervision_object text NOT NULL DEFAULT '',
        ADD COLUMN measures text NOT NULL DEFAULT '',
        ADD COLUMN legal_basis text NOT NULL DEFAULT '',
        ADD COLUMN result_handling text NOT NULL DEFAULT '',
        ADD COLUMN level text,
        ADD COLUMN responsible_leader text NOT NULL DEFAULT '',
        ADD COLUMN undertaking_office text NOT NULL DEFAULT '',
        ADD COLUMN handler text NOT NULL DEFAULT '',
        ADD COLUMN verification_deadline_days int NOT NULL DEFAULT 20 CHECK (verification_deadline_days > 0),
        ADD COLUMN effective_from timestamptz NOT NULL DEFAULT '2020-01-01T00:00:00+08:00',
        ADD COLUMN effective_to timestamptz,
        ADD COLUMN updated_by text NOT NULL DEFAULT 'migration',
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    await db.query(`
      UPDATE catalog_entry SET
        approval_item_codes = ARRAY[item_code],
        level = CASE WHEN region_code LIKE '__0000' THEN 'province' WHEN region_code LIKE '____00' THEN 'city' ELSE 'county' END`);
    await db.query(`ALTER TABLE catalog_entry ALTER COLUMN approval_item_codes SET NOT NULL, ALTER COLUMN level SET NOT NULL`);
    await db.query(`ALTER TABLE catalog_entry ADD CHECK (level IN ('province', 'city', 'county'))`);
    await db.query(`ALTER TABLE catalog_entry ADD CHECK (cardinality(approval_item_codes) > 0)`);
    await db.query(`ALTER TABLE catalog_entry ADD CHECK (effective_to IS NULL OR effective_to > effective_from)`);
    // Several versions of the same item may follow each other in time: overlap is refused by the admin API.
    await db.query(`ALTER TABLE catalog_entry DROP CONSTRAINT IF EXISTS catalog_entry_item_code_region_code_key`);
    await db.query(`CREATE INDEX catalog_entry_items ON catalog_entry USING gin (approval_item_codes)`);
    await db.query(`
      UPDATE catalog_entry SET
        supervision_object = '取得许可的食品经营者', measures = '日常检查、双随机抽查', legal_basis = '《中华人民共和国食品安全法》第三十五条',
        result_handling = '检查结果公示并归集至信用记录', responsible_leader = '分管副局长', undertaking_office = '食品经营监管处', handler = '食品经营监管处承办人'
      WHERE id = '6f1d1a9e-0c1b-4f51-9a63-000000000001'`);
    await db.query(`
      UPDATE catalog_entry SET
        supervision_object = '取得施工许可的建设工程', measures = '施工现场检查', legal_basis = '《中华人民共和国建筑法》第七条',
        result_handling = '检查结果公示并归集至信用记录', responsible_leader = '分管副局长', undertaking_office = '建筑市场监管处', handler = '建筑市场监管处承办人'
      WHERE id = '6f1d1a9e-0c1b-4f51-9a63-000000000002'`);
    await db.query(`
      UPDATE catalog_entry SET
        supervision_object = '药品零售企业', measures = '日常检查、飞行检查', legal_basis = '《中华人民共和国药品管理法》第五十一条',
        result_handling = '检查结果公示并归集至信用记录', responsible_leader = '分管副局长', undertaking_office = '药品流通监管处', handler = '药品流通监管处承办人'
      WHERE id = '6f1d1a9e-0c1b-4f51-9a63-000000000003'`);
    await db.query(`
      UPDATE catalog_entry SET
        supervision_object = '公共场所经营者', measures = '卫生监督检查', legal_basis = '《公共场所卫生管理条例》第四条',
        result_handling = '检查结果公示并归集至信用记录', responsible_leader = '分管副主任', undertaking_office = '卫生监督所', handler = '卫生监督所承办人'
      WHERE id = '6f1d1a9e-0c1b-4f51-9a63-000000000004'`);
    await db.query(`
      CREATE TABLE catalog_entry_version (
        entry_id uuid NOT NULL REFERENCES catalog_entry (id),
        version int NOT NULL,
        snapshot jsonb NOT NULL,
        changed_by text NOT NULL,
        change_note text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (entry_id, version)
      )`);
    await db.query(`
      INSERT INTO catalog_entry_version (entry_id, version, snapshot, changed_by, change_note)
      SELECT id, version, to_jsonb(catalog_entry), 'migration', 'initial catalog' FROM catalog_entry`);

    // Tasks: the whole lifecycle, the routing basis, delegation and entrustment, reminders and escalations.
    await db.query(`ALTER TABLE supervision_task DROP CONSTRAINT IF EXISTS supervision_task_status_check`);
    await db.query(
      `ALTER TABLE supervision_task ADD CONSTRAINT supervision_task_status_check CHECK (status IN ('assigned', 'claimed', 'returned', 'closed'))`,
    );
    await db.query(`
      ALTER TABLE supervision_task
        ALTER COLUMN catalog_entry_id DROP NOT NULL,
        ALTER COLUMN catalog_version DROP NOT NULL,
        ADD COLUMN routing_basis text,
        ADD COLUMN approval_kind text NOT NULL DEFAULT 'licence',
        ADD COLUMN delegated_from_region text,
        ADD COLUMN delegated_from_department text,
        ADD COLUMN entrusting_department text,
        ADD COLUMN entrustment_agreement text,
        ADD COLUMN assigned_at timestamptz,
        ADD COLUMN assigned_by text,
        ADD COLUMN assignment_note text,
        ADD COLUMN reminded_at timestamptz,
        ADD COLUMN escalated_at timestamptz,
        ADD COLUMN returns jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN closed_at timestamptz,
        ADD COLUMN close_reason text,
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    await db.query(`UPDATE supervision_task SET routing_basis = routing_rule, assigned_at = created_at, assigned_by = 'routing'`);
    await db.query(
      `ALTER TABLE supervision_task ALTER COLUMN routing_basis SET NOT NULL, ALTER COLUMN assigned_at SET NOT NULL, ALTER COLUMN assigned_by SET NOT NULL`,
    );
    await db.query(`CREATE INDEX supervision_task_status ON supervision_task (status, claim_deadline)`);

    // The vacuum keeps the whole approval, so that a later catalog entry can route it.
    await db.query(`
      ALTER TABLE unrouted_approval
        ADD COLUMN approval jsonb,
        ADD COLUMN routed_at timestamptz,
        ADD COLUMN task_id uuid`);

    // Every granted approval seen, for reconciliation and for licences awaited after a registration.
    await db.query(`
      CREATE TABLE approval_seen (
        approval_id uuid PRIMARY KEY,
        version int NOT NULL,
        uscc text NOT NULL,
        item_code text NOT NULL,
        region_code text NOT NULL,
        kind text NOT NULL,
        approver_department text NOT NULL,
        outcome text NOT NULL,
        decided_at timestamptz NOT NULL,
        seen_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX approval_seen_decided ON approval_seen (decided_at)`);
    await db.query(`CREATE INDEX approval_seen_entity ON approval_seen (uscc, item_code)`);

    // Double notification (双告知): business scope → licence items, and who the law names for each.
    await db.query(`
      CREATE TABLE scope_licence_rule (
        id serial PRIMARY KEY,
        keyword text NOT NULL,
        item_code text NOT NULL,
        item_name text NOT NULL,
        region_code text NOT NULL CHECK (region_code ~ '^[0-9]{6}$'),
        licensing_department text NOT NULL,
        competent_department text NOT NULL,
        UNIQUE (keyword, item_code, region_code)
      )`);
    await db.query(`
      INSERT INTO scope_licence_rule (keyword, item_code, item_name, region_code, licensing_department, competent_department) VALUES
        ('餐饮服务', 'FOOD-BUSINESS-LICENCE', '食品经营许可', '320700', '320700-SAMR', '320700-SAMR'),
        ('食品销售', 'FOOD-BUSINESS-LICENCE', '食品经营许可', '320700', '320700-SAMR', '320700-SAMR'),
        ('药品零售', 'DRUG-RETAIL-LICENCE', '药品零售企业经营许可', '320700', '320700-MPA', '320700-MPA'),
        ('住宿服务', 'PUBLIC-PLACE-HEALTH-LICENCE', '公共场所卫生许可', '320700', '320700-HEALTH', '320700-HEALTH'),
        ('美容美发', 'PUBLIC-PLACE-HEALTH-LICENCE', '公共场所卫生许可', '320700', '320700-HEALTH', '320700-HEALTH')`);
    await db.query(`
      CREATE TABLE entity_registration (
        id uuid PRIMARY KEY,
        uscc text NOT NULL,
        entity_name text NOT NULL,
        region_code text NOT NULL,
        business_scope text NOT NULL,
        item_codes text[] NOT NULL,
        registered_by text NOT NULL,
        registered_at timestamptz NOT NULL,
        correlation_id text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX entity_registration_uscc ON entity_registration (uscc)`);
    await db.query(`
      CREATE TABLE entity_notification (
        id uuid PRIMARY KEY,
        registration_id uuid NOT NULL REFERENCES entity_registration (id),
        uscc text NOT NULL,
        entity_name text NOT NULL,
        item_code text NOT NULL,
        item_name text NOT NULL,
        licensing_department text NOT NULL,
        competent_department text NOT NULL,
        licence_due_at timestamptz NOT NULL,
        licensed_at timestamptz,
        licence_approval_id uuid,
        clue_id uuid,
        clue_at timestamptz,
        feedback jsonb NOT NULL DEFAULT '[]',
        notified_at timestamptz NOT NULL,
        UNIQUE (registration_id, item_code, licensing_department)
      )`);
    await db.query(
      `CREATE INDEX entity_notification_awaiting ON entity_notification (licence_due_at) WHERE licensed_at IS NULL AND clue_id IS NULL`,
    );

    // Commitment verification (告知承诺制): one per commitment-based approval.
    await db.query(`
      CREATE TABLE commitment_verification (
        id uuid PRIMARY KEY,
        approval_id uuid NOT NULL UNIQUE,
        task_id uuid REFERENCES supervision_task (id),
        correlation_id text NOT NULL,
        uscc text NOT NULL,
        item_code text NOT NULL,
        due_at timestamptz NOT NULL,
        outcome text CHECK (outcome IN ('fulfilled', 'breached')),
        findings text,
        verified_by text,
        verified_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE commitment_verification`);
    await db.query(`DROP TABLE entity_notification`);
    await db.query(`DROP TABLE entity_registration`);
    await db.query(`DROP TABLE scope_licence_rule`);
    await db.query(`DROP TABLE approval_seen`);
    await db.query(`ALTER TABLE unrouted_approval DROP COLUMN approval, DROP COLUMN routed_at, DROP COLUMN task_id`);
    await db.query(`DROP INDEX supervision_task_status`);
    await db.query(`
      ALTER TABLE supervision_task
        DROP COLUMN routing_basis, DROP COLUMN approval_kind, DROP COLUMN delegated_from_region, DROP COLUMN delegated_from_department,
        DROP COLUMN entrusting_department, DROP COLUMN entrustment_agreement, DROP COLUMN assigned_at, DROP COLUMN assigned_by, DROP COLUMN assignment_note,
        DROP COLUMN reminded_at, DROP COLUMN escalated_at, DROP COLUMN returns, DROP COLUMN closed_at, DROP COLUMN close_reason,
        DROP COLUMN updated_at`);
    await db.query(`ALTER TABLE supervision_task DROP CONSTRAINT supervision_task_status_check`);
    await db.query(`ALTER TABLE supervision_task ADD CONSTRAINT supervision_task_status_check CHECK (status IN ('assigned', 'claimed'))`);
    await db.query(`DROP TABLE catalog_entry_version`);
    await db.query(`DROP INDEX catalog_entry_items`);
    await db.query(`
      ALTER TABLE catalog_entry
        DROP COLUMN approval_item_codes, DROP COLUMN supervision_object, DROP COLUMN measures, DROP COLUMN legal_basis,
        DROP COLUMN result_handling, DROP COLUMN level, DROP COLUMN responsible_leader, DROP COLUMN undertaking_office,
        DROP COLUMN handler, DROP COLUMN verification_deadline_days, DROP COLUMN effective_from, DROP COLUMN effective_to,
        DROP COLUMN updated_by, DROP COLUMN updated_at`);
    await db.query(`ALTER TABLE catalog_entry ADD UNIQUE (item_code, region_code)`);
  }
}
