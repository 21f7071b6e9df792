import type { IndexColumn, IndexRow } from '../layout/index-rows';
import type { ObjectStore } from '../storage/object-store';
import type { Cell } from './column-cells';

/** Decoded columns of parts, by part key (parts are written once under a fresh key). */
export class PartCache {
  private readonly parts = new Map<string, { length: number; columns: Map<IndexColumn, Cell[]> }>();
  private rows = 0;
  constructor(private readonly maxRows: number) {}

  get(key: string) {
    const part = this.parts.get(key);
    if (part) {
      // Most recently used last.
      this.parts.delete(key);
      this.parts.set(key, part);
    }
    return part;
  }

  set(key: string, part: { length: number; columns: Map<IndexColumn, Cell[]> }) {
    if (!this.parts.has(key)) this.rows += part.length;
    this.parts.set(key, part);
    for (const [oldest, old] of this.parts) {
      if (this.rows <= this.maxRows || oldest === key) break;
      this.parts.delete(oldest);
      this.rows -= old.length;
    }
  }
}

/** What a warm function keeps of one archive (one store object). */
export interface StoreCache {
  /** ~10 days of 100,000 calls without their dialogs: well inside a 1 GB function. */
  parts: PartCache;
  /** Dialogs are the bulk of a part: kept for one day of calls at most. */
  dialogs: PartCache;
  /** Pending rows by key: each object is written once, so a warm function reads it once. */
  pending: Map<string, IndexRow>;
}

const caches = new WeakMap<ObjectStore, StoreCache>();

export function cacheOf(store: ObjectStore): StoreCache {
  let cache = caches.get(store);
  if (!cache) {
    cache = {
      parts: new PartCache(1_000_000),
      dialogs: new PartCache(100_000),
      pending: new Map(),
    };
    caches.set(store, cache);
  }
  return cache;
}
