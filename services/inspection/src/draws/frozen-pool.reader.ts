import type { EntityManager } from 'typeorm';
import { PublishedDrawInput } from '../tasks/inspection-task.entity';
import { LINE_LENGTH, StrataPool, STRATUM_INDEX } from './canonical-pool';

/**
 * What the draw reads of a frozen pool, read inside PostgreSQL from the stored canonical text: one
 * stratum letter per entity, then the USCCs of the entities drawn. The text itself (21 bytes an entity)
 * never comes to this process; it is read by position because every canonical line has the same length
 * (services/inspection/src/draws/canonical-pool.ts). Each query converts the text to bytes once, in a
 * materialized CTE read once (a correlated read would convert it again for every position; ADR 0124).
 */
export async function readStrata(
  manager: EntityManager,
  taskId: string,
): Promise<{ pool: StrataPool; drawInput: PublishedDrawInput } | undefined> {
  const [row]: { strata: string; size: number; drawInput: PublishedDrawInput }[] = await manager.query(
    `WITH p AS MATERIALIZED (SELECT convert_to(canonical, 'UTF8') AS b, size, draw_input FROM task_pool WHERE task_id = $1)
     SELECT coalesce((SELECT string_agg(chr(get_byte(p.b, i * ${LINE_LENGTH} + ${LINE_LENGTH - 2})), '' ORDER BY i)
                        FROM generate_series(0, p.size - 1) AS i), '') AS strata,
            p.size, p.draw_input AS "drawInput"
       FROM p`,
    [taskId],
  );
  if (!row) return undefined;
  if (row.strata.length !== row.size) throw new Error(`task ${taskId}: the frozen pool has ${row.strata.length} lines, not ${row.size}`);
  const strata = new Uint8Array(row.size);
  for (let i = 0; i < row.size; i++) {
    const index = STRATUM_INDEX.get(row.strata[i]);
    if (index === undefined) throw new Error(`task ${taskId}: the frozen pool's line ${i + 1} has no stratum`);
    strata[i] = index;
  }
  return { pool: { size: row.size, strata }, drawInput: row.drawInput };
}

/** The USCCs at these positions (0-based) of a frozen pool, in the order asked. */
export async function readUsccs(manager: EntityManager, taskId: string, positions: readonly number[]): Promise<string[]> {
  const [row]: { usccs: string[] | null }[] = await manager.query(
    `WITH p AS MATERIALIZED (SELECT convert_to(canonical, 'UTF8') AS b FROM task_pool WHERE task_id = $1)
     SELECT array_agg(convert_from(substring(p.b FROM i * ${LINE_LENGTH} + 1 FOR 18), 'UTF8') ORDER BY o) AS usccs
       FROM p CROSS JOIN LATERAL unnest($2::int[]) WITH ORDINALITY AS u (i, o)`,
    [taskId, positions],
  );
  const usccs = row?.usccs ?? [];
  if (usccs.length !== positions.length) throw new Error(`task ${taskId}: ${usccs.length} USCCs read for ${positions.length} positions`);
  return usccs;
}
