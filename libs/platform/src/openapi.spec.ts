import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApiProperty, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject, ParameterObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Max, Min, ValidateBy, ValidateNested } from 'class-validator';
import { IsUscc } from '@backbone/contracts';
import { Public } from './auth';
import { completeOpenApiDocument, errorStatuses, validatorSchema } from './openapi';
import { IsRfc3339, ParseBigintIdPipe, RequiredWhen } from './validation';

class Delegation {
  @Length(6, 6) fromRegionCode: string;
}

class CreateThingRequest {
  @ApiProperty({ description: 'What the thing is called', example: '某某' })
  @IsString()
  @Length(1, 64)
  name: string;

  @IsUscc() uscc: string;
  @IsIn(['a', 'b']) kind: 'a' | 'b';
  @IsOptional() @IsRfc3339('date') from?: string;
  @IsOptional() @IsRfc3339('date-or-date-time') until?: string;
  @IsOptional() @IsInt() @Min(1) @Max(500) limit?: number;
  @IsOptional() @ValidateNested() @Type(() => Delegation) delegation?: Delegation;
}

class ListThingsQuery {
  @IsUscc() uscc: string;
  @IsOptional() @IsIn(['open', 'closed']) status?: string;
}

@Controller('things')
class ThingsController {
  @Post()
  create(@Body() request: CreateThingRequest) {
    return request;
  }

  @Get()
  list(@Query() query: ListThingsQuery) {
    return query;
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string) {
    return id;
  }

  @Public()
  @Get('public/:id')
  publicOne(@Param('id', ParseBigintIdPipe) id: string) {
    return id;
  }
}

async function document(): Promise<OpenAPIObject> {
  const module = await Test.createTestingModule({ controllers: [ThingsController] }).compile();
  const app = module.createNestApplication({ logger: false });
  await app.init();
  const built = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'x-api-key')
      .addSecurityRequirements('x-api-key')
      .build(),
  );
  completeOpenApiDocument(app, built);
  await app.close();
  return built;
}

describe('OpenAPI from the validators', () => {
  let doc: OpenAPIObject;
  beforeAll(async () => {
    doc = await document();
  });

  it('states the rules of a request body as the validators enforce them, keeping the written description', () => {
    const schema = doc.components!.schemas!.CreateThingRequest as SchemaObject;
    expect(schema.required).toEqual(['name', 'uscc', 'kind']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties!.name).toMatchObject({ type: 'string', minLength: 1, maxLength: 64, description: 'What the thing is called' });
    expect(schema.properties!.uscc).toMatchObject({ type: 'string', format: 'uscc', pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' });
    expect(schema.properties!.kind).toMatchObject({ enum: ['a', 'b'] });
    // optional fields are left out, never null (the validation pipe refuses null)
    expect(schema.properties!.from).toEqual({ type: 'string', format: 'date' });
    expect(schema.properties!.until).toEqual({
      oneOf: [
        { type: 'string', format: 'date' },
        { type: 'string', format: 'date-time' },
      ],
    });
    expect(schema.properties!.limit).toMatchObject({ type: 'integer', minimum: 1, maximum: 500 });
    expect(schema.properties!.delegation).toEqual({ $ref: '#/components/schemas/Delegation' });
    expect(doc.components!.schemas!.Delegation).toMatchObject({ required: ['fromRegionCode'], additionalProperties: false });
    expect(doc.paths['/things'].post!.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateThingRequest' } } },
    });
  });

  it('gives free text the edge rule against control characters, within its length', () => {
    const name = (doc.components!.schemas!.CreateThingRequest as SchemaObject).properties!.name as SchemaObject;
    const pattern = new RegExp(name.pattern!);
    expect(pattern.test('连云港某某食品有限公司')).toBe(true);
    expect(pattern.test('a\u0000b')).toBe(false);
    expect(pattern.test('x'.repeat(65))).toBe(false);
    expect(pattern.test('')).toBe(false);
  });

  it('declares a query class as one parameter per field, required as the validators say', () => {
    const parameters = doc.paths['/things'].get!.parameters as ParameterObject[];
    expect(parameters.map(({ name, in: location, required }) => ({ name, location, required }))).toEqual([
      { name: 'uscc', location: 'query', required: true },
      { name: 'status', location: 'query', required: false },
    ]);
    expect(parameters[1].schema).toMatchObject({ type: 'string', enum: ['open', 'closed'] });
    expect(doc.components!.schemas!.ListThingsQuery).toBeUndefined();
  });

  it('takes a path parameter schema from its pipe', () => {
    expect((doc.paths['/things/{id}'].get!.parameters as ParameterObject[])[0].schema).toEqual({ type: 'string', format: 'uuid' });
    expect((doc.paths['/things/public/{id}'].get!.parameters as ParameterObject[])[0].schema).toMatchObject({
      pattern: '^[1-9][0-9]{0,18}$',
    });
  });

  it('declares every error status with the problem schema, and public routes need no key', () => {
    const get = doc.paths['/things/{id}'].get!;
    expect(Object.keys(get.responses).sort()).toEqual(['200', '400', '401', '403', '404', '422', '429', '503']);
    expect(get.responses['404']).toMatchObject({
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
    expect(get.security).toBeUndefined();
    const open = doc.paths['/things/public/{id}'].get!;
    expect(open.security).toEqual([]);
    expect(Object.keys(open.responses)).not.toContain('401');
    expect(Object.keys(doc.paths['/things'].post!.responses).sort()).toEqual(
      ['201', '400', '401', '403', '404', '409', '413', '415', '422', '429', '503'].sort(),
    );
  });

  it('declares the optional Idempotency-Key header on every POST, and on no read', () => {
    const header = (doc.paths['/things'].post!.parameters as ParameterObject[]).filter((parameter) => parameter.in === 'header');
    expect(header).toEqual([expect.objectContaining({ name: 'Idempotency-Key', required: false })]);
    expect(new RegExp((header[0].schema as SchemaObject).pattern!).test('order-2026-0001')).toBe(true);
    expect(new RegExp((header[0].schema as SchemaObject).pattern!).test('has space')).toBe(false);
    const reads = [doc.paths['/things'].get!, doc.paths['/things/{id}'].get!];
    for (const read of reads) expect(((read.parameters ?? []) as ParameterObject[]).some((p) => p.in === 'header')).toBe(false);
  });

  it('refuses two request classes with one name rather than describing one of them wrongly', async () => {
    const requestClass = () => {
      class Same {
        @Length(1, 2) a: string;
      }
      return Same;
    };
    const [First, Second] = [requestClass(), requestClass()];
    @Controller('one')
    class One {
      @Post() create(@Body() request: InstanceType<typeof First>) {
        return request;
      }
    }
    @Controller('two')
    class Two {
      @Post() create(@Body() request: InstanceType<typeof Second>) {
        return request;
      }
    }
    Reflect.defineMetadata('design:paramtypes', [First], One.prototype, 'create');
    Reflect.defineMetadata('design:paramtypes', [Second], Two.prototype, 'create');
    const module = await Test.createTestingModule({ controllers: [One, Two] }).compile();
    const app = module.createNestApplication({ logger: false });
    await app.init();
    const built = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    expect(() => completeOpenApiDocument(app, built)).toThrow('two request classes are named Same');
    await app.close();
  });

  it('states a field required when another has some value (@RequiredWhen) as anyOf', () => {
    class Decision {
      @IsIn(['granted', 'refused']) outcome: string;
      @RequiredWhen('outcome', ['granted']) @IsString() @Length(1, 64) licenceNumber?: string;
    }
    const schema = validatorSchema(Decision);
    expect(schema.required).toEqual(['outcome']);
    expect(schema.allOf).toEqual([
      { anyOf: [{ required: ['licenceNumber'] }, { properties: { outcome: { not: { enum: ['granted'] } } } }] },
    ]);
  });

  it('states a body class without fields as an optional empty object, and a custom rule adds no unresolvable $ref', async () => {
    class RunSweepRequest {}
    class Report {
      @IsOptional()
      @IsArray()
      @ValidateBy({ name: 'fewEnough', validator: { validate: (value: unknown[]) => value.length < 3 } })
      codes?: string[];
    }
    @Controller('sweeps')
    class Sweeps {
      @Post() run(@Body() request: RunSweepRequest) {
        return request;
      }
      @Post('reports') report(@Body() request: Report) {
        return request;
      }
    }
    const module = await Test.createTestingModule({ controllers: [Sweeps] }).compile();
    const app = module.createNestApplication({ logger: false });
    await app.init();
    const built = completeOpenApiDocument(app, SwaggerModule.createDocument(app, new DocumentBuilder().build()));
    await app.close();
    expect(built.paths['/sweeps'].post!.requestBody).toEqual({
      required: false,
      content: { 'application/json': { schema: { type: 'object', properties: {}, additionalProperties: false } } },
    });
    expect(built.components!.schemas!.RunSweepRequest).toBeUndefined();
    expect(JSON.stringify(built.components!.schemas!.Report)).not.toContain('$ref');
  });

  it('states an amount with at most two decimals as multipleOf 0.01', () => {
    class Fine {
      @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) amount: number;
      @IsNumber() ratio: number;
    }
    const schema = validatorSchema(Fine);
    expect(schema.properties!.amount).toEqual({ type: 'number', multipleOf: 0.01, minimum: 0 });
    expect(schema.properties!.ratio).toEqual({ type: 'number' });
  });

  it('declares no key statuses on public routes and no body statuses on reads', () => {
    expect(errorStatuses('get', { public: true, pathParameters: false })).toEqual([400, 422, 429, 503]);
    expect(validatorSchema(ListThingsQuery).required).toEqual(['uscc']);
  });
});
