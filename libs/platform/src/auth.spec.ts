import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyStore } from './api-keys';
import { ApiKeyGuard, Caller, EntityAccess, entityOfClient, Roles } from './auth';
import type { BaseServiceConfig } from './config';
import { AuthFailures } from './rate-limit';

const ENTITY_KEY = 'entity-key-91320700MA1MXXK01L';
const AGENCY_KEY = 'agency-key-market-regulator';

class Routes {
  @Roles('repair-applicant') @EntityAccess() apply() {}
  @Roles('repair-applicant') agencyOnly() {}
  anyAgency() {}
}

function guard() {
  const store = ApiKeyStore.fromConfig({ API_KEYS: `${ENTITY_KEY}=ENTITY-91320700MA1MXXK01L,${AGENCY_KEY}=320700-SAMR` });
  const config = { AUTH_FAILURES_BEFORE_DELAY: 100, AUTH_FAILURES_BEFORE_BLOCK: 1000 } as BaseServiceConfig;
  return new ApiKeyGuard(new Reflector(), store, { 'repair-applicant': ['320700-SAMR'] }, new AuthFailures(config));
}

async function call(route: keyof Routes, key: string): Promise<Caller | Error> {
  const request: { caller?: Caller; ip: string; header: (name: string) => string | undefined } = {
    ip: '127.0.0.1',
    header: (name) => (name === 'x-api-key' ? key : undefined),
  };
  const context = {
    getType: () => 'http',
    getHandler: () => Routes.prototype[route],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  try {
    await guard().canActivate(context);
    return request.caller as Caller;
  } catch (error) {
    return error as Error;
  }
}

describe("a market entity's own credential (ENTITY-<USCC>)", () => {
  it('is recognised by its client name, only with a whole USCC', () => {
    expect(entityOfClient('ENTITY-91320700MA1MXXK01L')).toBe('91320700MA1MXXK01L');
    expect(entityOfClient('320700-SAMR')).toBeUndefined();
    expect(entityOfClient('ENTITY-913207')).toBeUndefined();
    expect(entityOfClient('XENTITY-91320700MA1MXXK01L')).toBeUndefined();
  });

  it('calls a route marked for entities, as the entity, without an agency role', async () => {
    expect(await call('apply', ENTITY_KEY)).toEqual({ department: 'ENTITY-91320700MA1MXXK01L', entity: '91320700MA1MXXK01L' });
  });

  it.each(['agencyOnly', 'anyAgency'] as const)('is refused on the route %s, which is for agencies', async (route) => {
    expect(await call(route, ENTITY_KEY)).toMatchObject({ code: 'ENTITY_CREDENTIAL_NOT_ALLOWED' });
  });

  it("leaves agencies' clients as they were: roles checked, no entity", async () => {
    expect(await call('apply', AGENCY_KEY)).toEqual({ department: '320700-SAMR' });
    expect(await call('anyAgency', AGENCY_KEY)).toEqual({ department: '320700-SAMR' });
  });
});
