import type { EntityManager } from 'typeorm';
import { NotFoundError } from '@backbone/platform';
import { ComplaintErrors } from './complaint.errors';
import { Complaint } from './complaint.entity';

/** The complaint, locked, if the caller's department handles it. */
export async function lockOwnComplaint(manager: EntityManager, id: string, department: string): Promise<Complaint> {
  const complaint = await manager.findOne(Complaint, { where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!complaint) throw new NotFoundError('complaint', id);
  if (complaint.department !== department) throw ComplaintErrors.notComplaintDepartment(id, complaint.department);
  return complaint;
}
