import type { EntityManager } from 'typeorm';
import { BaseServiceConfig } from '@backbone/platform';
import { IntegrationErrors } from '../integration.errors';

/** A subscription is its department's: only that department (or an operator) reads or changes it. */
export async function ownSubscription(
  manager: EntityManager,
  config: BaseServiceConfig,
  id: string,
  department: string,
  lock = false,
): Promise<{ id: string; department: string; status: string }> {
  const [row] = await manager.query(`SELECT id, department, status FROM webhook_subscription WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [
    id,
  ]);
  if (!row) throw IntegrationErrors.subscriptionNotFound(id);
  if (row.department !== department && !config.OPERATOR_DEPARTMENTS.split(',').includes(department)) {
    throw IntegrationErrors.notOwnSubscription(department);
  }
  return row;
}
