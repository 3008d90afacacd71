import { DomainError, ForbiddenError } from '@backbone/platform';
import { EnforcementError } from '../enforcement.errors';

/** The errors the complaint rules throw; their codes are listed with the context's others in enforcement.errors.ts. */
export const ComplaintErrors = {
  notComplaintDepartment: (id: string, department: string) =>
    new ForbiddenError(EnforcementError.NOT_COMPLAINT_DEPARTMENT, `complaint ${id} is handled by ${department}`),
  transitionRefused: (id: string, action: string, status: string, allowed: readonly string[]) =>
    new DomainError(
      action === 'answer' ? EnforcementError.COMPLAINT_NOT_ACCEPTED : EnforcementError.COMPLAINT_NOT_REGISTERED,
      `complaint ${id} is ${status}: ${action} needs it ${allowed.join(' or ')}`,
      409,
      { status, action },
    ),
  alreadyAnswered: (id: string, at: Date | null) =>
    new DomainError(EnforcementError.COMPLAINT_ALREADY_ANSWERED, `complaint ${id} was answered at ${at?.toISOString()}`, 409),
  transferToSelf: (id: string, department: string) =>
    new DomainError(EnforcementError.TRANSFER_TO_SELF, `complaint ${id} is already ${department}'s`, 422),
  unknownDepartment: (department: string) =>
    new DomainError(
      EnforcementError.UNKNOWN_DEPARTMENT,
      `toDepartment: ${department} is not a department of this system (none of its registered clients acts for it); a complaint sent there would be answered by nobody`,
      422,
      { field: 'toDepartment' },
    ),
  notHotline: (department: string) =>
    new ForbiddenError(
      EnforcementError.NOT_HOTLINE_CLIENT,
      `only the hotline's clients (HOTLINE_DEPARTMENTS) use the intake; ${department} is not one`,
    ),
  idempotencyKeyMissing: () =>
    new DomainError(
      EnforcementError.IDEMPOTENCY_KEY_REQUIRED,
      'Idempotency-Key: header required (1-100 visible ASCII characters): a retried intake must not register twice',
      400,
      {
        field: 'Idempotency-Key',
      },
    ),
  idempotencyKeyReused: (key: string, complaintId: string) =>
    new DomainError(
      EnforcementError.IDEMPOTENCY_KEY_REUSED,
      `Idempotency-Key ${key} was used for another request (complaint ${complaintId}); a retry must repeat the same body`,
      409,
      { complaintId },
    ),
};
