const YEAR_S = 365 * 24 * 3600;

/** Reads one cookie of the page, or null. */
export function readCookie(name: string): string | null {
  try {
    for (const part of document.cookie.split('; ')) {
      const eq = part.indexOf('=');
      // An empty value is what some browsers leave of a deleted cookie.
      if (part.slice(0, eq) === name) return decodeURIComponent(part.slice(eq + 1)) || null;
    }
  } catch {
    // A sandboxed iframe without allow-same-origin throws on document.cookie.
  }
  return null;
}

/**
 * Writes (or, with `null`, deletes) a first-party cookie: long-lived, `SameSite=Lax`, `Secure`
 * on https, on `domain` when given so that every subdomain shares it.
 */
export function writeCookie(name: string, value: string | null, domain: string | null): void {
  try {
    document.cookie =
      `${name}=${value === null ? '' : encodeURIComponent(value)}; path=/; max-age=${value === null ? 0 : YEAR_S}` +
      `${domain ? `; domain=${domain}` : ''}; SameSite=Lax${location.protocol === 'https:' ? '; Secure' : ''}`;
  } catch {
    // See readCookie.
  }
}

/**
 * The registrable domain ("shop.example.co.uk" → "example.co.uk"), found as analytics libraries
 * do: the shortest parent domain that accepts a cookie. No public-suffix list ships in the
 * bundle; the browser already has one. IP addresses and single-label hosts get a host-only
 * cookie (null).
 */
export function registrableDomain(hostname: string): string | null {
  if (!hostname.includes('.') || /^[\d.]+$/.test(hostname) || hostname.includes(':')) return null;
  const labels = hostname.split('.');
  for (let i = labels.length - 2; i >= 0; i--) {
    const candidate = labels.slice(i).join('.');
    writeCookie('spoor_probe', '1', candidate);
    if (readCookie('spoor_probe') === '1') {
      writeCookie('spoor_probe', null, candidate);
      return candidate;
    }
  }
  return null;
}
