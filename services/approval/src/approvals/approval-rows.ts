import type { EntityManager } from 'typeorm';
import { NotFoundError } from '@backbone/platform';
import { Approval } from './approval.entity';

/** Loads an approval and locks its row for the rest of the transaction. */
export async function lockApproval(manager: EntityManager, id: string): Promise<Approval> {
  const approval = await manager.findOne(Approval, { where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!approval) throw new NotFoundError('approval', id);
  return approval;
}

/**
 * Writes back an approval whose row this transaction has locked: one UPDATE. TypeORM's save() would
 * load the row once more to work out what changed — a query per write, on the event hot path.
 */
export async function writeApproval(manager: EntityManager, approval: Approval): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { id, createdAt, updatedAt, ...columns } = approval;
  await manager.update(Approval, { id }, columns);
}
