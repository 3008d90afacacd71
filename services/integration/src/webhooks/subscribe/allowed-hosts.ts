/**
 * The hosts agencies may register webhook URLs under (WEBHOOK_ALLOWED_HOSTS): the operator's list, so that
 * a subscription cannot make the backbone POST into the operator's own network (SSRF). An entry is a host
 * name (`hotline.example.gov.cn`), every host under a domain (`*.example.gov.cn`, not the domain itself),
 * an IPv4 address or a bracketed IPv6 one (`[::1]`). Empty: no URL is allowed.
 */
export type AllowedHosts = readonly string[];

const NAME = /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/;

/** Parses the variable; a malformed entry is named (the boot stops on it). */
export function parseAllowedHosts(value: string): AllowedHosts {
  const entries = value
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  const bad = entries.filter((entry) => !NAME.test(entry) && !IPV6.test(entry));
  if (bad.length > 0)
    throw new Error(
      `WEBHOOK_ALLOWED_HOSTS: ${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} not a host name, *.domain, IPv4 or [IPv6] address`,
    );
  return entries;
}

/** Whether a URL's host (as a WHATWG URL parser reads it: lower case, IPv4 normalised) is on the list. */
export function hostAllowed(hostname: string, allowed: AllowedHosts): boolean {
  const host = hostname.toLowerCase();
  return allowed.some((entry) =>
    entry.startsWith('*.') ? host.endsWith(entry.slice(1)) && host.length > entry.length - 1 : host === entry,
  );
}
