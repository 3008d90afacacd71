import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError, PlatformError } from '@backbone/platform';

/** Delivery ids are positive bigints, given as decimal strings. */
@Injectable()
export class DeliveryIdPipe implements PipeTransform<string, string> {
  static readonly openApiSchema = { type: 'string', pattern: '^[1-9][0-9]{0,17}$' } as const;

  transform(value: string): string {
    if (!/^[1-9]\d{0,17}$/.test(value)) {
      throw new DomainError(PlatformError.VALIDATION_FAILED, `id: must be a delivery id (a positive integer of at most 18 digits)`, 400);
    }
    return value;
  }
}
