import { hostAllowed, parseAllowedHosts } from './allowed-hosts';

describe('the webhook host allow-list (WEBHOOK_ALLOWED_HOSTS)', () => {
  const allowed = parseAllowedHosts(' hotline.example.gov.cn, *.samr.example.gov.cn ,127.0.0.1,[::1]');

  it.each([
    ['https://hotline.example.gov.cn/hooks', true],
    ['https://HOTLINE.example.gov.cn:8443/hooks', true],
    ['https://a.samr.example.gov.cn/x', true],
    ['https://a.b.samr.example.gov.cn/x', true],
    ['http://127.0.0.1:9000/', true],
    ['http://2130706433/', true], // the same IPv4 address, as a parser reads it
    ['http://[::1]:9000/', true],
    ['https://samr.example.gov.cn/x', false], // *.domain is the hosts under it, not the domain itself
    ['https://evilsamr.example.gov.cn/x', false],
    ['https://hotline.example.gov.cn.evil.example/x', false],
    ['https://other.example.gov.cn/x', false],
    ['http://127.0.0.2/', false],
    ['http://localhost/', false],
  ])('%s → %s', (url, expected) => {
    expect(hostAllowed(new URL(url).hostname, allowed)).toBe(expected);
  });

  it('allows nothing when empty', () => {
    expect(hostAllowed('hotline.example.gov.cn', parseAllowedHosts(''))).toBe(false);
  });

  it('names a malformed entry', () => {
    expect(() => parseAllowedHosts('ok.example,https://x.example/,*')).toThrow(
      'WEBHOOK_ALLOWED_HOSTS: https://x.example/, * are not a host name, *.domain, IPv4 or [IPv6] address',
    );
  });
});
