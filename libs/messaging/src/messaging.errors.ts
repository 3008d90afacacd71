/** The stable error codes of the messaging lib (dead letters); see libs/platform/src/errors.ts for the shared ones. */
export const MessagingError = {
  /** 409 — a dead letter is re-driven once. */
  DEAD_LETTER_ALREADY_REDRIVEN: 'DEAD_LETTER_ALREADY_REDRIVEN',
  /** 422 — the re-driven event still cannot be applied; the dead letter stays open. */
  REDRIVE_FAILED: 'REDRIVE_FAILED',
} as const;
