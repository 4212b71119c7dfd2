import { UAParser } from 'ua-parser-js';

/** What the collector derives from a raw user-agent string. */
export interface ParsedUserAgent {
  browser?: { name: string; version?: string };
  os?: { name: string; version?: string };
  device?: { type?: string; vendor?: string; model?: string };
}

const CACHE_SIZE = 2000;

/**
 * Parses user agents server-side (so the web SDK ships no parser), remembering recent strings:
 * a site's traffic comes from a few hundred distinct agents, so nearly every lookup is a hit.
 */
export function createUserAgentParser(): (ua: string) => ParsedUserAgent {
  const cache = new Map<string, ParsedUserAgent>();
  return (ua) => {
    let parsed = cache.get(ua);
    if (parsed) return parsed;
    parsed = toParsed(new UAParser(ua).getResult());
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(ua, parsed);
    return parsed;
  };
}

function toParsed(result: UAParser.IResult): ParsedUserAgent {
  const parsed: ParsedUserAgent = {};
  if (result.browser.name)
    parsed.browser = compact({ name: result.browser.name, version: result.browser.version });
  if (result.os.name) parsed.os = compact({ name: result.os.name, version: result.os.version });
  const device = compact({
    type: result.device.type,
    vendor: result.device.vendor,
    model: result.device.model,
  });
  if (Object.keys(device).length > 0) parsed.device = device;
  return Object.freeze(parsed);
}

function compact<T extends Record<string, string | undefined>>(
  value: T,
): { [K in keyof T]: string } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: string;
  };
}
