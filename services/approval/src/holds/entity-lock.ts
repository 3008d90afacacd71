import type { EntityManager } from 'typeorm';

/**
 * Serialises, per entity, the writers that decide or lift a hold (a new application, a case opened or
 * closed), so that an application held just as the last case closes is still released.
 */
export async function lockEntity(manager: EntityManager, uscc: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`approval-entity:${uscc}`]);
}

/** `lockEntity` for several entities at once ($1: their USCCs), in one order (no deadlock between two such groups). */
export const LOCK_ENTITIES = {
  name: 'approval-lock-entities',
  text: `SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) AS locked
           FROM (SELECT DISTINCT 'approval-entity:' || uscc AS k FROM unnest($1::text[]) AS uscc ORDER BY 1) AS entities`,
};
