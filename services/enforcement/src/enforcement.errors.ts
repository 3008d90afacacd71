/**
 * The stable error codes of the enforcement context: every rule it refuses to break, in one place.
 * Clients may switch on a code, so a code is never renamed or reused; a new rule gets a new code.
 * The HTTP status the edge answers with is given first (the problem details carry the code).
 * Rules are described in docs/domain.md (§5 enforcement and the three systems).
 *
 * Not-found codes come from `NotFoundError(what, id)`: CASE_NOT_FOUND, COMPLAINT_NOT_FOUND (404).
 */
export const EnforcementError = {
  /** 403 — a case, and its record, are handled by the department that holds it. */
  NOT_CASE_DEPARTMENT: 'NOT_CASE_DEPARTMENT',
  /** 409 — a decided case is not decided again. */
  CASE_ALREADY_DECIDED: 'CASE_ALREADY_DECIDED',
  /** 409 — the case lifecycle table (cases/case-state.ts) forbids the move. */
  ILLEGAL_TRANSITION: 'ILLEGAL_TRANSITION',
  /** 409 — evidence is collected while the case is investigating. */
  CASE_NOT_INVESTIGATING: 'CASE_NOT_INVESTIGATING',
  /** 422 — a major decision, or a transfer to the judicial authorities, needs an approved legal review first (法制审核). */
  LEGAL_REVIEW_REQUIRED: 'LEGAL_REVIEW_REQUIRED',
  /** 422 — the approved legal review covered other penalties than the ones decided. */
  LEGAL_REVIEW_DOES_NOT_COVER: 'LEGAL_REVIEW_DOES_NOT_COVER',
  /** 403 — only legal-review departments record reviews and maintain discretion benchmarks. */
  NOT_LEGAL_REVIEW_DEPARTMENT: 'NOT_LEGAL_REVIEW_DEPARTMENT',
  /** 409 — a review is recorded only when one is pending. */
  NO_PENDING_REVIEW: 'NO_PENDING_REVIEW',
  /** 422 — a reviewer who collected evidence, requested the review or handles the case may not review it. */
  REVIEWER_NOT_INDEPENDENT: 'REVIEWER_NOT_INDEPENDENT',
  /** 409 — one legal review of a case at a time. */
  REVIEW_PENDING: 'REVIEW_PENDING',
  /** 422 — a case or complaint is transferred to another department, not to its own. */
  TRANSFER_TO_SELF: 'TRANSFER_TO_SELF',
  /** 403 — a complaint is handled by the department it was registered with or transferred to. */
  NOT_COMPLAINT_DEPARTMENT: 'NOT_COMPLAINT_DEPARTMENT',
  /** 409 — only a registered complaint is transferred or accepted; a case is opened from a registered or accepted one (complaints/complaint.rules.ts). */
  COMPLAINT_NOT_REGISTERED: 'COMPLAINT_NOT_REGISTERED',
  /** 409 — a complaint is answered once. */
  COMPLAINT_ALREADY_ANSWERED: 'COMPLAINT_ALREADY_ANSWERED',
  /** 409 — a complaint is answered after it was accepted (受理), or a case opened on it. */
  COMPLAINT_NOT_ACCEPTED: 'COMPLAINT_NOT_ACCEPTED',
  /** 422 — a complaint goes only to a department of this system (one a registered client acts for). */
  UNKNOWN_DEPARTMENT: 'UNKNOWN_DEPARTMENT',
  /** 403 — only the 12345 hotline's clients (HOTLINE_DEPARTMENTS) use the hotline intake. */
  NOT_HOTLINE_CLIENT: 'NOT_HOTLINE_CLIENT',
  /** 400 — the hotline intake needs an Idempotency-Key header (1-100 characters). */
  IDEMPOTENCY_KEY_REQUIRED: 'IDEMPOTENCY_KEY_REQUIRED',
  /** 409 — an Idempotency-Key is repeated only with the same request. */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** 422 — a penalty needs a discretion benchmark for each violation at its severity (自由裁量基准). */
  NO_BENCHMARK: 'NO_BENCHMARK',
  /** 422 — a decision names at least one violation. */
  NO_VIOLATION: 'NO_VIOLATION',
  /** 422 — a minor first violation on the no-penalty / light-penalty list gets only the measures the list allows. */
  FIRST_MINOR_VIOLATION_LIST: 'FIRST_MINOR_VIOLATION_LIST',
  /** 422 — the penalty kind or the fine lies outside the benchmark's range. */
  OUTSIDE_BENCHMARK: 'OUTSIDE_BENCHMARK',
  /** 400 — a violation code matches [A-Z0-9-]{1,64}. */
  INVALID_VIOLATION_CODE: 'INVALID_VIOLATION_CODE',
  /** 422 — a violation code named over REST has a discretion benchmark (the catalogue of violations a penalty can be decided on). */
  UNKNOWN_VIOLATION_CODE: 'UNKNOWN_VIOLATION_CODE',
} as const;

export type EnforcementErrorCode = (typeof EnforcementError)[keyof typeof EnforcementError];
