/**
 * The dedupe window's keys in memory: a 48-bit hash of (source, messageId) → the seq of the
 * event stored under it. An open-addressing table over typed arrays costs about 24 bytes per key
 * and nothing for the garbage collector. Hashes may collide: a lookup yields every candidate
 * seq, and the store compares the candidates' real ids, so a collision costs one extra read and
 * can never make two different events look like one.
 *
 * Why not a SQLite index: message ids are random, so under frequent small commits a B-tree on
 * them rewrites about one page per event into the WAL, which measured at two thirds of the
 * store's cost. The durable record is the append-only `dedupe_log` table.
 */
export class DedupeIndex {
  private _hashes: Float64Array;
  private _seqs: Float64Array;
  private _size = 0;

  constructor(capacity = 1024) {
    const slots = 2 ** Math.ceil(Math.log2(Math.max(16, capacity / 0.7)));
    this._hashes = new Float64Array(slots);
    this._seqs = new Float64Array(slots);
  }

  /** Keys held. */
  get size(): number {
    return this._size;
  }

  /** Remembers that the event at `seq` has key `hash` (a positive integer below 2^48). */
  add(hash: number, seq: number): void {
    if ((this._size + 1) / this._hashes.length > 0.7) this._resize(this._hashes.length * 2);
    this._put(hash, seq);
  }

  /** Seqs of events stored under `hash`, oldest first; usually none or one. */
  candidates(hash: number): number[] {
    const found: number[] = [];
    const mask = this._hashes.length - 1;
    for (let i = hash & mask; this._hashes[i] !== 0; i = (i + 1) & mask) {
      if (this._hashes[i] === hash) found.push(this._seqs[i] ?? 0);
    }
    return found.sort((a, b) => a - b);
  }

  /** Forgets every key whose event seq is below `minSeq`. */
  prune(minSeq: number): void {
    const [hashes, seqs] = [this._hashes, this._seqs];
    this._hashes = new Float64Array(hashes.length);
    this._seqs = new Float64Array(seqs.length);
    this._size = 0;
    for (let i = 0; i < hashes.length; i++) {
      const seq = seqs[i] ?? 0;
      if (hashes[i] !== 0 && seq >= minSeq) this._put(hashes[i] ?? 0, seq);
    }
  }

  private _put(hash: number, seq: number): void {
    const mask = this._hashes.length - 1;
    let i = hash & mask;
    while (this._hashes[i] !== 0) i = (i + 1) & mask;
    this._hashes[i] = hash;
    this._seqs[i] = seq;
    this._size++;
  }

  private _resize(slots: number): void {
    const [hashes, seqs] = [this._hashes, this._seqs];
    this._hashes = new Float64Array(slots);
    this._seqs = new Float64Array(slots);
    this._size = 0;
    for (let i = 0; i < hashes.length; i++)
      if (hashes[i] !== 0) this._put(hashes[i] ?? 0, seqs[i] ?? 0);
  }
}

/**
 * A 48-bit hash (never 0) of a dedupe key: two 32-bit FNV-1a variants combined. Not
 * cryptographic, and it need not be: collisions are resolved by comparing the real ids.
 */
export function dedupeHash(source: string, messageId: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  const mix = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 13);
    }
  };
  mix(source);
  mix('\u0000');
  mix(messageId);
  return (a >>> 0) * 0x10000 + (b >>> 16) || 1;
}
