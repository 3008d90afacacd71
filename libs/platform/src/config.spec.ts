import { ApiKeyStore, hashApiKey } from './api-keys';
import { BaseServiceConfig, ConfigError, loadConfig, parseApiKeys } from './config';

class ServiceConfig extends BaseServiceConfig {
  override PORT = 3999;
  override DATABASE_NAME = 'probe';
}

const valid = {
  DATABASE_USER: 'backbone',
  DATABASE_PASSWORD: 'secret',
  KAFKA_BROKERS: '127.0.0.1:9092,127.0.0.2:9092',
  API_KEYS: 'a-key-of-sixteen-chars=320700-SAMR,another-key-0000001=PLATFORM-OPS',
};

describe('service configuration', () => {
  it('reads variables, converting numbers and flags, with defaults', () => {
    const config = loadConfig(ServiceConfig, { ...valid, PORT: '4000', MIGRATIONS_RUN: 'false' });
    expect(config.PORT).toBe(4000);
    expect(config.MIGRATIONS_RUN).toBe(false);
    expect(config.DATABASE_PORT).toBe(5432);
    expect(config.DATABASE_NAME).toBe('probe');
    expect(loadConfig(ServiceConfig, valid).PORT).toBe(3999);
  });

  it('stops naming every missing or bad variable', () => {
    let error: unknown;
    try {
      loadConfig(ServiceConfig, { ...valid, DATABASE_USER: undefined, KAFKA_BROKERS: 'localhost', PORT: '70000', API_KEYS: 'short=X' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^DATABASE_USER: /m);
    expect(problems).toMatch(/^KAFKA_BROKERS: must be host:port/m);
    expect(problems).toMatch(/^PORT: /m);
    expect(problems).toMatch(/^API_KEYS: must be key=DEPARTMENT/m);
  });

  it('lowers its priority to nice 10 once listening unless NICE_ONCE_LISTENING says otherwise (0: unchanged)', () => {
    expect(loadConfig(ServiceConfig, valid).NICE_ONCE_LISTENING).toBe(10);
    expect(loadConfig(ServiceConfig, { ...valid, NICE_ONCE_LISTENING: '0' }).NICE_ONCE_LISTENING).toBe(0);
    expect(() => loadConfig(ServiceConfig, { ...valid, NICE_ONCE_LISTENING: '20' })).toThrow(/NICE_ONCE_LISTENING/);
  });

  it('keeps the old generation within twice its live set unless HEAP_GROWING_PERCENT says otherwise (0: V8 decides)', () => {
    expect(loadConfig(ServiceConfig, valid).HEAP_GROWING_PERCENT).toBe(100);
    expect(loadConfig(ServiceConfig, { ...valid, HEAP_GROWING_PERCENT: '0' }).HEAP_GROWING_PERCENT).toBe(0);
    expect(() => loadConfig(ServiceConfig, { ...valid, HEAP_GROWING_PERCENT: '-1' })).toThrow(/HEAP_GROWING_PERCENT/);
  });

  it('maps API keys to the departments they act for, keeping only their SHA-256 hashes', () => {
    expect(parseApiKeys(valid.API_KEYS)).toEqual(
      new Map([
        [hashApiKey('a-key-of-sixteen-chars'), '320700-SAMR'],
        [hashApiKey('another-key-0000001'), 'PLATFORM-OPS'],
      ]),
    );
  });

  it('takes hashed keys with an expiry, and refuses a malformed entry naming API_KEYS', () => {
    const hash = hashApiKey('a-key-of-sixteen-chars');
    const store = ApiKeyStore.fromConfig({ API_KEYS: `sha256:${hash}=320700-SAMR@2020-01-01T00:00:00Z,another-key-0000001=PLATFORM-OPS` });
    expect(store.lookup('a-key-of-sixteen-chars')).toEqual({ expired: expect.objectContaining({ department: '320700-SAMR' }) });
    expect(store.lookup('another-key-0000001')).toEqual({ client: { department: 'PLATFORM-OPS' } });
    expect(store.lookup('no-such-key-000000000')).toBeUndefined();
    expect(() => loadConfig(BaseServiceConfig, { ...valid, API_KEYS: 'short=X' })).toThrow(/API_KEYS/);
  });
});
