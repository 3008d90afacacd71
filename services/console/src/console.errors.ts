/**
 * The stable error codes of the console: every rule it refuses to break, in one place. Clients may
 * switch on a code, so a code is never renamed or reused; a new rule gets a new code. The HTTP status
 * the edge answers with is given first (the problem details carry the code).
 *
 * Not-found codes come from `NotFoundError(what, id)`: APPROVAL_NOT_FOUND (404).
 */
export const ConsoleError = {
  /** 403 — a department sees its own figures, queue and vacuum only; operators see every department's. */
  OWN_DEPARTMENT_ONLY: 'OWN_DEPARTMENT_ONLY',
  /** 403 — an approval's trail is shown to the departments it involves (approver, assigned) and operators. */
  NOT_INVOLVED: 'NOT_INVOLVED',
  /** 404 — the service named is not one the console watches (SERVICE_URLS, and itself). */
  UNKNOWN_SERVICE: 'UNKNOWN_SERVICE',
  /** 400 — from/to are not real dates; 422 — from is after to, or the period is longer than the console serves. */
  BAD_PERIOD: 'BAD_PERIOD',
} as const;

export type ConsoleErrorCode = (typeof ConsoleError)[keyof typeof ConsoleError];
