import type { EventIssue } from './codes.js';
import { FORBIDDEN_KEYS, type Limits } from './limits.js';

/** The result of {@link guardJson}: the value's exact JSON size in UTF-8 bytes, or the issue. */
export type GuardResult = { ok: true; value: number } | { ok: false; error: EventIssue };

// Printable ASCII other than `"` and `\`: such strings serialise to themselves plus two quotes.
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * Walks a parsed JSON value once and checks it against `limits` before any schema sees it, so
 * schema validation never meets pathological input (deep nesting, huge key counts, long strings,
 * prototype-polluting keys, unpaired surrogates). The same pass measures the exact size
 * `JSON.stringify` would give, so the per-event size limit needs no serialisation of its own.
 */
export function guardJson(value: unknown, limits: Limits): GuardResult {
  const walker = new Walker(limits);
  const issue = walker.visit(value, 0);
  return issue ? { ok: false, error: issue } : { ok: true, value: walker.bytes };
}

class Walker {
  bytes = 0;
  private _keys = 0;
  private readonly _path: (string | number)[] = [];

  constructor(private readonly _limits: Limits) {}

  visit(value: unknown, depth: number): EventIssue | null {
    switch (typeof value) {
      case 'string':
        return this._string(value);
      case 'number':
        if (!Number.isFinite(value)) return this._issue('invalid_field', 'Numbers must be finite');
        return this._scalar(String(value).length);
      case 'boolean':
        return this._scalar(value ? 4 : 5);
      case 'object':
        if (value === null) return this._scalar(4);
        if (depth >= this._limits.maxDepth) {
          return this._issue('too_deep', `Nesting exceeds ${this._limits.maxDepth} levels`);
        }
        return Array.isArray(value) ? this._array(value, depth) : this._object(value, depth);
      default:
        return this._issue('invalid_field', `Values of type ${typeof value} are not JSON`);
    }
  }

  private _array(items: unknown[], depth: number): EventIssue | null {
    if (items.length > this._limits.maxArrayLength) {
      return this._issue(
        'array_too_long',
        `Arrays may hold at most ${this._limits.maxArrayLength} items`,
      );
    }
    this.bytes += 2 + Math.max(0, items.length - 1);
    for (let i = 0; i < items.length; i++) {
      this._path.push(i);
      const issue = this.visit(items[i], depth + 1);
      if (issue) return issue;
      this._path.pop();
    }
    return null;
  }

  private _object(object: object, depth: number): EventIssue | null {
    const keys = Object.keys(object);
    this._keys += keys.length;
    if (this._keys > this._limits.maxKeys) {
      return this._issue('too_many_keys', `Events may hold at most ${this._limits.maxKeys} keys`);
    }
    this.bytes += 2 + Math.max(0, keys.length - 1) + keys.length; // braces, commas, colons
    for (const key of keys) {
      this._path.push(key);
      if (FORBIDDEN_KEYS.has(key))
        return this._issue('forbidden_key', `Key "${key}" is not accepted`);
      const issue =
        this._string(key) ?? this.visit((object as Record<string, unknown>)[key], depth + 1);
      if (issue) return issue;
      this._path.pop();
    }
    return null;
  }

  private _string(text: string): EventIssue | null {
    if (text.length > this._limits.maxStringLength) {
      return this._issue(
        'string_too_long',
        `Strings may be at most ${this._limits.maxStringLength} characters`,
      );
    }
    if (PLAIN.test(text)) {
      this.bytes += text.length + 2;
    } else {
      if (!(text as unknown as { isWellFormed(): boolean }).isWellFormed()) {
        return this._issue('invalid_string', 'Strings must not contain unpaired surrogates');
      }
      this.bytes += jsonStringBytes(text);
    }
    return null;
  }

  private _scalar(bytes: number): null {
    this.bytes += bytes;
    return null;
  }

  private _issue(code: EventIssue['code'], message: string): EventIssue {
    return { code, path: formatPath(this._path), message };
  }
}

/** UTF-8 bytes of `JSON.stringify(text)` for a well-formed string. */
function jsonStringBytes(text: string): number {
  let bytes = 2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) bytes += 2;
    else if (c < 0x20) bytes += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6;
    else if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4; // a well-formed string pairs this high surrogate with the next unit
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Renders a key path as `a.b[3].c`, quoting keys that are not plain identifiers. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}
