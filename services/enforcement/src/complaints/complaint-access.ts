import type { EntityManager } from 'typeorm';
import { ForbiddenError, NotFoundError } from '@backbone/platform';
import { Complaint } from './complaint.entity';
import { EnforcementError } from '../enforcement.errors';

/** The complaint, locked, if the caller's department registered it. */
export async function lockOwnComplaint(manager: EntityManager, id: string, department: string): Promise<Complaint> {
  const complaint = await manager.findOne(Complaint, { where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!complaint) throw new NotFoundError('complaint', id);
  if (complaint.department !== department)
    throw new ForbiddenError(EnforcementError.NOT_COMPLAINT_DEPARTMENT, `complaint ${id} is handled by ${complaint.department}`);
  return complaint;
}
