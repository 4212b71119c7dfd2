import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
// Settings and formatting shared by run.js (ingest) and identity.js (identity on vs off).

export const WRITE_KEY = 'bench_write_key';
export const AUTH = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`;
/** The admin token of the collectors the benchmarks start. */
export const ADMIN_TOKEN = 'bench-admin-token-0123456789';
export const RESULTS_DIR = new URL('./results/', import.meta.url);

/** The positive number in environment variable `name`, or `fallback` when it is unset or empty. */
export function positive(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(value > 0)) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return value;
}

/** A count or rate, rounded, with thousands separators. */
export const fmt = (v) => Math.round(v).toLocaleString('en-US');

/** An SDK file's size as shipped: bytes, and gzip level 9 (what a CDN or WeChat would send). */
export function measureBundle(sdk) {
  const raw = readFileSync(sdk.file);
  return {
    sdk: sdk.id,
    name: sdk.name,
    version: sdk.version,
    file: sdk.fileLabel,
    note: sdk.note,
    bytes: raw.length,
    gzipBytes: gzipSync(raw, { level: 9 }).length,
  };
}
