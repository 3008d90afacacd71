import { ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Length, ValidateBy, ValidateNested } from 'class-validator';
import { acrossFields, requestValidationPipe } from './errors';
import { RequiredWhen } from './validation';

class Scope {
  @IsOptional() @IsArray() @IsString({ each: true }) regionPrefixes?: string[];
  @IsOptional() @IsString() note?: string;
}

class Violation {
  @IsString() @Length(1, 64) code: string;
  @IsOptional() @IsString() description?: string;
}

class RaiseRequest {
  @IsString() @Length(1, 64) reference: string;
  @IsOptional() @IsString() startsAt?: string;
  @ValidateNested() @Type(() => Scope) scope: Scope;
  @IsOptional() @IsArray() @ArrayMaxSize(5) @ValidateNested({ each: true }) @Type(() => Violation) violations?: Violation[];
  @IsOptional() @ValidateNested() @Type(() => Scope) extra?: Scope;
  @RequiredWhen('reference', ['needs-reason']) @IsString() reason?: string;
}

const body: ArgumentMetadata = { type: 'body', metatype: RaiseRequest };

async function problems(value: unknown): Promise<{ field: string; rule: string }[]> {
  try {
    await requestValidationPipe().transform(value, body);
  } catch (error) {
    return (error as { problems: { field: string; rule: string }[] }).problems.map(({ field, rule }) => ({ field, rule }));
  }
  return [];
}

describe('the request validation pipe: what class-validator lets through and the documents refuse', () => {
  it('accepts optional fields left out', async () => {
    expect(await problems({ reference: 'R-1', scope: {} })).toEqual([]);
  });

  it.each([
    ['an optional field', { reference: 'R-1', startsAt: null, scope: {} }, 'startsAt'],
    ['an optional field of a nested object', { reference: 'R-1', scope: { regionPrefixes: null } }, 'scope.regionPrefixes'],
    ['an optional nested object', { reference: 'R-1', scope: {}, extra: null }, 'extra'],
    [
      'a field of an array element',
      { reference: 'R-1', scope: {}, violations: [{ code: 'A', description: null }] },
      'violations.0.description',
    ],
  ])('refuses null in %s, naming the field (rule isNotNull)', async (_what, value, field) => {
    expect(await problems(value)).toEqual([{ field, rule: 'isNotNull' }]);
  });

  it('refuses a required nested object left out, naming it (class-validator skips it)', async () => {
    expect(await problems({ reference: 'R-1' })).toEqual([{ field: 'scope', rule: 'isDefined' }]);
  });

  it("gives one problem per field: the validators' own where they have one, and the others' beside them", async () => {
    expect(await problems({ reference: null, startsAt: null, scope: {}, reason: null })).toEqual([
      { field: 'reference', rule: 'isLength' },
      { field: 'reference', rule: 'isString' },
      { field: 'reason', rule: 'isString' },
      { field: 'startsAt', rule: 'isNotNull' },
    ]);
  });

  it('leaves a body not bound to a request class alone', async () => {
    const value = { anything: null };
    expect(await requestValidationPipe().transform(value, { type: 'body', metatype: Object })).toBe(value);
  });

  it('answers a request whose only problems are rules across fields as such (422 FIELDS_DISAGREE), any other problem as 400', async () => {
    class Period {
      @IsInt() from: number;
      @IsInt()
      @ValidateBy({ name: acrossFields('afterFrom'), validator: { validate: (to: number, args) => to > (args?.object as Period).from } })
      to: number;
    }
    const refusal = async (value: unknown) =>
      requestValidationPipe()
        .transform(value, { type: 'body', metatype: Period })
        .then(
          () => undefined,
          (error: { acrossFields: boolean; problems: { field: string; rule: string }[] }) => ({
            acrossFields: error.acrossFields,
            rules: error.problems.map(({ field, rule }) => `${field} ${rule}`),
          }),
        );
    expect(await refusal({ from: 2, to: 3 })).toBeUndefined();
    expect(await refusal({ from: 2, to: 1 })).toEqual({ acrossFields: true, rules: ['to afterFrom'] });
    expect(await refusal({ from: 'x', to: 1 })).toMatchObject({ acrossFields: false });
  });
});
