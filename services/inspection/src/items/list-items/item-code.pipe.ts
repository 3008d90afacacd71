import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError, PlatformError } from '@backbone/platform';

/** Item codes: 1–64 letters, digits, `-`, `_` or `.`. */
@Injectable()
export class ItemCodePipe implements PipeTransform<string, string> {
  static readonly openApiSchema = { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' } as const;

  transform(value: string): string {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(value)) {
      throw new DomainError(PlatformError.VALIDATION_FAILED, 'code: 1–64 letters, digits, ".", "-" or "_"', 400);
    }
    return value;
  }
}
