import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One list, two pools (一单两库): the item list, the target pool kept from events and imports, the inspector pool. */
export class InspectionPools1763800002000 implements MigrationInterface {
  name = 'InspectionPools1763800002000';

  async up(db: QueryRunner): Promise<void> {
    // 一单: versioned per (department, code); the current version is the one not superseded.
    await db.query(`
      CREATE TABLE inspection_item (
        id uuid PRIMARY KEY,
        department text NOT NULL,
        code text NOT NULL,
        version int NOT NULL CHECK (version >= 1),
        name text NOT NULL,
        legal_basis text NOT NULL,
        inspecting_departments text[] NOT NULL,
        entity_types text[] NOT NULL DEFAULT '{}',
        industries text[] NOT NULL DEFAULT '{}',
        licence_item_codes text[] NOT NULL DEFAULT '{}',
        region_prefixes text[] NOT NULL DEFAULT '{}',
        method text NOT NULL CHECK (method IN ('on_site', 'documents', 'online')),
        kind text NOT NULL CHECK (kind IN ('key', 'general')),
        min_ratio_bp int NOT NULL CHECK (min_ratio_bp BETWEEN 0 AND 10000),
        max_ratio_bp int NOT NULL CHECK (max_ratio_bp BETWEEN 0 AND 10000 AND max_ratio_bp >= min_ratio_bp),
        frequency_per_year int NOT NULL CHECK (frequency_per_year >= 1),
        withdrawn boolean NOT NULL DEFAULT false,
        valid_from timestamptz NOT NULL DEFAULT now(),
        superseded_at timestamptz,
        UNIQUE (department, code, version)
      )`);
    await db.query(`CREATE UNIQUE INDEX inspection_item_current ON inspection_item (department, code) WHERE superseded_at IS NULL`);

    // 检查对象名录库: one row per market entity.
    await db.query(`
      CREATE TABLE target_entity (
        uscc text PRIMARY KEY,
        name text NOT NULL,
        entity_type text NOT NULL,
        industry text,
        region_code text NOT NULL,
        credit_tier char(1) NOT NULL DEFAULT 'B' CHECK (credit_tier IN ('A', 'B', 'C', 'D')),
        credit_lists text[] NOT NULL DEFAULT '{}',
        credit_effective_at timestamptz,
        key_supervision boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deregistered')),
        open_cases int NOT NULL DEFAULT 0 CHECK (open_cases >= 0),
        last_inspected_at timestamptz,
        last_inspectors text[] NOT NULL DEFAULT '{}',
        source text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX target_entity_region ON target_entity (region_code text_pattern_ops)`);
    // Licences the entity holds, from approval events: the pool filter by licence item, and the approver
    // that must see the entity's inspection results (with the approval's correlation id, for its trail).
    await db.query(`
      CREATE TABLE target_licence (
        approval_id uuid PRIMARY KEY,
        uscc text NOT NULL,
        item_code text NOT NULL,
        approver_department text NOT NULL,
        correlation_id text NOT NULL,
        status text NOT NULL,
        decided_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX target_licence_uscc ON target_licence (uscc)`);
    await db.query(`CREATE INDEX target_licence_item ON target_licence (item_code, status)`);
    await db.query(`CREATE TABLE target_open_case (case_id uuid PRIMARY KEY, uscc text NOT NULL)`);
    // When each entity was last inspected under each item (the recent-inspection exclusion).
    await db.query(`
      CREATE TABLE target_item_inspection (
        uscc text NOT NULL,
        item_code text NOT NULL,
        inspected_at timestamptz NOT NULL,
        PRIMARY KEY (uscc, item_code)
      )`);

    await db.query(`
      CREATE TABLE pool_import (
        id uuid PRIMARY KEY,
        department text NOT NULL,
        format text NOT NULL CHECK (format IN ('ndjson', 'csv')),
        status text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
        rows_read int NOT NULL DEFAULT 0,
        rows_accepted int NOT NULL DEFAULT 0,
        rows_rejected int NOT NULL DEFAULT 0,
        rejected jsonb NOT NULL DEFAULT '[]',
        error text,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);

    // 执法检查人员名录库
    await db.query(`
      CREATE TABLE inspector (
        id uuid PRIMARY KEY,
        department text NOT NULL,
        name text NOT NULL,
        certificate_number text NOT NULL UNIQUE,
        region_code text NOT NULL,
        specialities text[] NOT NULL DEFAULT '{}',
        expert boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        registered_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX inspector_department ON inspector (department, active)`);
    await db.query(`
      CREATE TABLE inspector_conflict (
        inspector_id uuid NOT NULL REFERENCES inspector (id),
        uscc text NOT NULL,
        reason text NOT NULL,
        declared_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (inspector_id, uscc)
      )`);
    await db.query(`CREATE INDEX inspector_conflict_uscc ON inspector_conflict (uscc)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'inspector_conflict',
      'inspector',
      'pool_import',
      'target_item_inspection',
      'target_open_case',
      'target_licence',
      'target_entity',
      'inspection_item',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
