/**
 * The stable error codes of the approval context: every rule it refuses to break, in one place.
 * Clients may switch on a code, so a code is never renamed or reused; a new rule gets a new code.
 * The HTTP status the edge answers with is given first (the problem details carry the code).
 * Rules are described in docs/domain.md (§2 the double loop, §4 commitments, §6 credit).
 *
 * Not-found codes come from `NotFoundError(what, id)`: APPROVAL_NOT_FOUND (404).
 */
export const ApprovalError = {
  /** 403 — only the department that decided an approval changes it (amend, renew, convert, cancel). */
  NOT_APPROVER_DEPARTMENT: 'NOT_APPROVER_DEPARTMENT',
  /** 422 — a refused application has no licence: there is nothing to change. */
  APPROVAL_NOT_GRANTED: 'APPROVAL_NOT_GRANTED',
  /** 409 — an approval is held while its entity has an open enforcement case. */
  APPROVAL_HELD: 'APPROVAL_HELD',
  /** 409 — the change is not allowed in the licence's current state. */
  APPROVAL_NOT_CHANGEABLE: 'APPROVAL_NOT_CHANGEABLE',
  /** 409 — the licence lifecycle table (licences/licence-transitions.ts) forbids the move. */
  ILLEGAL_LICENCE_TRANSITION: 'ILLEGAL_LICENCE_TRANSITION',
  /** 400 — an amendment changes at least one of entityName, licenceNumber, regionCode. */
  NOTHING_TO_AMEND: 'NOTHING_TO_AMEND',
  /** 422 — a renewal moves validUntil later than it is (and than now). */
  RENEWAL_NOT_LATER: 'RENEWAL_NOT_LATER',
  /** 409 — an approval is converted to filing or commitment once. */
  ALREADY_CONVERTED: 'ALREADY_CONVERTED',
  /** 422 — the credit check on the application (逢办必查) refused it, without a more precise code. */
  CREDIT_CHECK_REFUSED: 'CREDIT_CHECK_REFUSED',
  /** 422 — joint punishment: an entity under measure no_commitment_approval gets no commitment-based approval. */
  JOINT_PUNISHMENT_NO_COMMITMENT: 'JOINT_PUNISHMENT_NO_COMMITMENT',
  /** 409 — an application number recorded before with other particulars (details.fields names them); the same particulars answer the first approval. */
  APPLICATION_NUMBER_CONFLICT: 'APPLICATION_NUMBER_CONFLICT',
  /** 403 — an approval a sector system posted at the intake names an approverDepartment that is not an approver (APPROVER_DEPARTMENTS): dead-lettered. */
  SENDER_NOT_APPROVER: 'SENDER_NOT_APPROVER',
  /** Not a refusal: the code a *flagged* credit check carries when the entity is under measure stricter_review (joint punishment). */
  JOINT_PUNISHMENT_STRICTER_REVIEW: 'JOINT_PUNISHMENT_STRICTER_REVIEW',
  /** 422 — the ledger's period ends before it begins (`to` must be after `from`). */
  EMPTY_PERIOD: 'EMPTY_PERIOD',
  /** 422 — an active risk warning of a level in RISK_WARNING_NO_COMMITMENT_LEVELS covers the application: no commitment-based grant (§8). */
  RISK_WARNING_NO_COMMITMENT: 'RISK_WARNING_NO_COMMITMENT',
  /** Not a refusal: the code of a grant flagged for stricter review because an active risk warning covers it (§8). */
  RISK_WARNING_STRICTER_REVIEW: 'RISK_WARNING_STRICTER_REVIEW',
  /** Not a refusal: the code of an accepted check of a red-listed entity (守信激励) put on the fast track (§6). */
  RED_LIST_FAST_TRACK: 'RED_LIST_FAST_TRACK',
} as const;

export type ApprovalErrorCode = (typeof ApprovalError)[keyof typeof ApprovalError];
