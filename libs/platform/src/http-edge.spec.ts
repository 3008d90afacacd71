import helmet from 'helmet';
import { staticHeaders } from './http-edge';

describe('staticHeaders', () => {
  it('records what helmet sets, once, as the headers every answer carries', () => {
    const headers = new Map(staticHeaders(helmet({ frameguard: { action: 'deny' }, hsts: false })));
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.has('strict-transport-security')).toBe(false);
  });

  it('refuses a middleware that does not go on at once', () => {
    expect(() => staticHeaders(() => undefined)).toThrow(/did not call next/);
  });
});
