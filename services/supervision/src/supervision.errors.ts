/**
 * The stable error codes of the supervision context: every rule it refuses to break, in one place.
 * Clients may switch on a code, so a code is never renamed or reused; a new rule gets a new code.
 * The HTTP status the edge answers with is given first (the problem details carry the code).
 * Rules are described in docs/domain.md (§1 routing, §2 the double loop, §4 commitments).
 *
 * Not-found codes come from `NotFoundError(what, id)`: TASK_NOT_FOUND, CATALOG_ENTRY_NOT_FOUND,
 * COMMITMENT_VERIFICATION_NOT_FOUND, NOTIFICATION_NOT_FOUND, REGISTRATION_NOT_FOUND (404).
 */
export const SupervisionError = {
  /** 403 — only catalog administrators (operator departments) create or amend catalog entries. */
  CATALOG_ADMIN_ONLY: 'CATALOG_ADMIN_ONLY',
  /** 400 — a separated (审管分离) catalog entry must name the industry authority that supervises. */
  SUPERVISING_DEPARTMENT_REQUIRED: 'SUPERVISING_DEPARTMENT_REQUIRED',
  /** 400 — a catalog entry's effective period must not be empty (effectiveTo after effectiveFrom). */
  EMPTY_EFFECTIVE_PERIOD: 'EMPTY_EFFECTIVE_PERIOD',
  /** 409 — two entries may not cover the same item in the same region over overlapping periods (one route per approval). */
  CATALOG_ENTRY_OVERLAP: 'CATALOG_ENTRY_OVERLAP',
  /** 403 — only the department a task is assigned to may claim it, return it or inspect under it. */
  NOT_ASSIGNED_DEPARTMENT: 'NOT_ASSIGNED_DEPARTMENT',
  /** 409 — a task is claimed once; a second claim names the first handler. */
  TASK_ALREADY_CLAIMED: 'TASK_ALREADY_CLAIMED',
  /** 409 — the task lifecycle table (tasks/task-transitions.ts) forbids the move. */
  ILLEGAL_TASK_TRANSITION: 'ILLEGAL_TASK_TRANSITION',
  /** 403 — only the market regulator's registration departments post registrations (double notification). */
  REGISTRAR_ONLY: 'REGISTRAR_ONLY',
  /** 403 — only the licensing department that was notified answers a notification (double feedback). */
  NOT_NOTIFIED_DEPARTMENT: 'NOT_NOTIFIED_DEPARTMENT',
  /** 422 — an unlicensed-operation clue that no rule can route to a competent department. */
  UNLICENSED_CLUE_UNROUTABLE: 'UNLICENSED_CLUE_UNROUTABLE',
  /** 403 — only the department supervising a commitment-based approval records its verification. */
  NOT_SUPERVISING_DEPARTMENT: 'NOT_SUPERVISING_DEPARTMENT',
  /** 409 — a commitment is verified once. */
  COMMITMENT_ALREADY_VERIFIED: 'COMMITMENT_ALREADY_VERIFIED',
  /** 422 — an inspection found compliant lists no violations. */
  VIOLATIONS_ON_COMPLIANT_RESULT: 'VIOLATIONS_ON_COMPLIANT_RESULT',
  /** 422 — an inspection found non-compliant names at least one violation. */
  VIOLATIONS_REQUIRED: 'VIOLATIONS_REQUIRED',
  /** 422 — an inspection's result category (compliant or not) agrees with its result. */
  CATEGORY_RESULT_MISMATCH: 'CATEGORY_RESULT_MISMATCH',
  /** 400 — an inspection under a task inspects the entity that task supervises. */
  TASK_ENTITY_MISMATCH: 'TASK_ENTITY_MISMATCH',
  /** 400 — a reconciliation period must not be empty. */
  EMPTY_PERIOD: 'EMPTY_PERIOD',
  /** 403 — a department lists its own tasks only (operators: any department's). */
  OWN_DEPARTMENT_ONLY: 'OWN_DEPARTMENT_ONLY',
  /** 403 — only the department that raised a risk warning, or an operator, lifts it. */
  NOT_WARNING_DEPARTMENT: 'NOT_WARNING_DEPARTMENT',
  /** 422 — a risk warning ends after it starts, and in the future (a rule across fields). */
  RISK_WARNING_PERIOD: 'RISK_WARNING_PERIOD',
  /** 409 — a risk warning ends once (lifted or expired). */
  RISK_WARNING_ENDED: 'RISK_WARNING_ENDED',
  /** 409 — a risk warning's reference is unique. */
  DUPLICATE_RISK_WARNING: 'DUPLICATE_RISK_WARNING',
  /** 422 — a risk warning's scope names a region, a licence item or an entity (an industry alone is not enough). */
  RISK_WARNING_SCOPE_EMPTY: 'RISK_WARNING_SCOPE_EMPTY',
  /** 422 — a scope naming industries names the licence items of those industries too (approval and supervision know items, not industries). */
  RISK_WARNING_INDUSTRY_WITHOUT_ITEMS: 'RISK_WARNING_INDUSTRY_WITHOUT_ITEMS',
} as const;

export type SupervisionErrorCode = (typeof SupervisionError)[keyof typeof SupervisionError];
