import { HttpStatus } from '@nestjs/common';
import { DomainError } from '@backbone/platform';

/**
 * Every rule of the random-inspection context, by stable code (clients may switch on these). The
 * use cases throw `inspectionError(code, message)`; the edge turns it into a problem response.
 */
export const INSPECTION_ERRORS = {
  /** Only the department that owns an item, inspector or plan changes it. */
  NOT_OWNER_DEPARTMENT: HttpStatus.FORBIDDEN,
  /** Only POOL_KEEPER_DEPARTMENTS import into or flag the target pool. */
  NOT_POOL_KEEPER: HttpStatus.FORBIDDEN,
  /** An item's ratio bounds or scope are inconsistent. */
  INVALID_ITEM: HttpStatus.UNPROCESSABLE_ENTITY,
  /** The bulk import's body is not NDJSON or CSV as declared. */
  UNSUPPORTED_IMPORT_FORMAT: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  /** The bulk import's body holds no row, or its CSV header line lacks a column every row needs (uscc, name): nothing is written. */
  INVALID_IMPORT: HttpStatus.UNPROCESSABLE_ENTITY,
  /** An inspector with this enforcement-certificate number exists already. */
  DUPLICATE_CERTIFICATE: HttpStatus.CONFLICT,
  /** A plan for this department, year and title exists already. */
  DUPLICATE_PLAN: HttpStatus.CONFLICT,
  /** A task with this reference exists already. */
  DUPLICATE_TASK: HttpStatus.CONFLICT,
  /** The plan is not published: tasks come from published plans. */
  PLAN_NOT_PUBLISHED: HttpStatus.CONFLICT,
  /** A task names an item that is not on the current list of its department, or a department twice. */
  UNKNOWN_ITEM: HttpStatus.UNPROCESSABLE_ENTITY,
  /** The move asked for is not in the task transition table. */
  ILLEGAL_TASK_TRANSITION: HttpStatus.CONFLICT,
  /** The draw needs a frozen pool with a published seed commitment. */
  POOL_NOT_FROZEN: HttpStatus.CONFLICT,
  /** The revealed seed does not hash to the published commitment. */
  SEED_MISMATCH: HttpStatus.UNPROCESSABLE_ENTITY,
  /** A second draw needs a recorded reason. */
  REDRAW_REASON_REQUIRED: HttpStatus.BAD_REQUEST,
  /** Too few eligible inspectors for some drawn entity (named in details). */
  INSPECTOR_SHORTFALL: HttpStatus.CONFLICT,
  /** The department is not one of the task's departments. */
  DEPARTMENT_NOT_IN_TASK: HttpStatus.FORBIDDEN,
  /** The entity was not drawn in the task's current draw. */
  ENTITY_NOT_DRAWN: HttpStatus.UNPROCESSABLE_ENTITY,
  /** The check has its result already. */
  RESULT_ALREADY_RECORDED: HttpStatus.CONFLICT,
  /** A result of this category must name violations (or must not). */
  INVALID_RESULT: HttpStatus.UNPROCESSABLE_ENTITY,
} as const;

export type InspectionErrorCode = keyof typeof INSPECTION_ERRORS;

export function inspectionError(code: InspectionErrorCode, message: string, details?: Record<string, unknown>): DomainError {
  return new DomainError(code, message, INSPECTION_ERRORS[code], details);
}
