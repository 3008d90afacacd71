/**
 * The stable error codes of the credit context: every rule it refuses to break, in one place.
 * Clients may switch on a code, so a code is never renamed or reused; a new rule gets a new code.
 * The HTTP status the edge answers with is given first (the problem details carry the code).
 * Rules are described in docs/domain.md (§6 credit).
 *
 * Not-found codes come from `NotFoundError(what, id)`: CREDIT_ENTRY_NOT_FOUND, CREDIT_OBJECTION_NOT_FOUND,
 * CREDIT_REPAIR_NOT_FOUND (404).
 */
export const CreditError = {
  /** 403 — only credit-authority departments decide repairs and handle objections. */
  NOT_CREDIT_AUTHORITY: 'NOT_CREDIT_AUTHORITY',
  /** 422 — only dishonesty entries of a repairable kind can be repaired (信用修复). */
  ENTRY_NOT_REPAIRABLE: 'ENTRY_NOT_REPAIRABLE',
  /** 409 — the entry was already corrected, repaired or ended. */
  ENTRY_NO_LONGER_VALID: 'ENTRY_NO_LONGER_VALID',
  /** 409 — one pending repair per entry. */
  REPAIR_ALREADY_PENDING: 'REPAIR_ALREADY_PENDING',
  /** 409 — a repair is decided once. */
  REPAIR_ALREADY_DECIDED: 'REPAIR_ALREADY_DECIDED',
  /** 422 — the repair's conditions (time served, rectification, commitment…) are not met. */
  REPAIR_CONDITION_UNMET: 'REPAIR_CONDITION_UNMET',
  /** 422 — only entries of a disputable kind can be objected to (异议申诉). */
  ENTRY_NOT_DISPUTABLE: 'ENTRY_NOT_DISPUTABLE',
  /** 409 — the objection's state does not allow that answer. */
  OBJECTION_TRANSITION_NOT_ALLOWED: 'OBJECTION_TRANSITION_NOT_ALLOWED',
  /** 400 — a correction takes effect between the entry's date and now. */
  EFFECTIVE_FROM_OUT_OF_RANGE: 'EFFECTIVE_FROM_OUT_OF_RANGE',
  /** 409 — an entry is corrected once. */
  ENTRY_ALREADY_CORRECTED: 'ENTRY_ALREADY_CORRECTED',
  /** 403 — an entity's own credential acts for its own USCC only (another entity's repairs and objections read as not found). */
  NOT_OWN_ENTITY: 'NOT_OWN_ENTITY',
  /** 409 — evidence is added to a repair application while it awaits its decision. */
  REPAIR_NOT_PENDING: 'REPAIR_NOT_PENDING',
  /** 400 — added evidence names rectification evidence, a commitment, or both. */
  EVIDENCE_REQUIRED: 'EVIDENCE_REQUIRED',
} as const;

export type CreditErrorCode = (typeof CreditError)[keyof typeof CreditError];
