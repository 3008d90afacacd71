import { ConfigError } from '@backbone/platform';
import { loadCreditConfig } from './credit.config';

const env = {
  DATABASE_USER: 'u',
  DATABASE_PASSWORD: 'p',
  KAFKA_BROKERS: '127.0.0.1:9092',
  API_KEYS: 'a-key-of-sixteen-chars=320700-CREDIT',
};

describe('credit config', () => {
  it('boots with the default rules and names the credit authority departments', () => {
    const config = loadCreditConfig({ ...env, CREDIT_AUTHORITY_DEPARTMENTS: '320700-CREDIT,320000-CREDIT' });
    expect(config.rules.tiers.map((tier) => tier.tier)).toEqual(['A', 'B', 'C']);
    expect(config.isCreditAuthority('320000-CREDIT')).toBe(true);
    expect(config.isCreditAuthority('320700-SAMR')).toBe(false);
  });

  it('stops the boot on bad rules, naming the variable', () => {
    expect(() => loadCreditConfig({ ...env, CREDIT_RULES_JSON: '{"tiers": []}' })).toThrow(ConfigError);
    expect(() => loadCreditConfig({ ...env, CREDIT_RULES_JSON: '{"tiers": []}' })).toThrow(/CREDIT_RULES_JSON/);
  });
});
