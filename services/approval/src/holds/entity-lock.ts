import type { EntityManager } from 'typeorm';

/**
 * Serialises, per entity, the writers that decide or lift a hold (a new application, a case opened or
 * closed), so that an application held just as the last case closes is still released.
 */
export async function lockEntity(manager: EntityManager, uscc: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`approval-entity:${uscc}`]);
}
