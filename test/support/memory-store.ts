import type { ObjectStore } from '../../lib/storage/object-store';

/** An ObjectStore over a Map, for unit tests (no sockets, no disk). */
export function memoryStore(objects = new Map<string, string>()): ObjectStore & {
  objects: Map<string, string>;
} {
  return {
    objects,
    describe: 'memory',
    put: async (key, body) => {
      objects.set(key, String(body));
      return { size: String(body).length, storeTag: String(objects.size) };
    },
    head: async () => undefined,
    openRead: async () => undefined,
    listDirs: async (prefix) =>
      [
        ...new Set(
          [...objects.keys()]
            .filter((key) => key.startsWith(prefix) && key.slice(prefix.length).includes('/'))
            .map((key) => key.slice(prefix.length).split('/')[0] as string),
        ),
      ].sort(),
    readUrl: async () => undefined,
    get: async (key) => (objects.has(key) ? Buffer.from(objects.get(key) as string) : undefined),
    list: async (prefix) => [...objects.keys()].filter((key) => key.startsWith(prefix)).sort(),
    delete: async (key) => {
      objects.delete(key);
    },
    purgeNoncurrent: async () => 0,
    purge: async (key, options) => {
      if (options?.keepLatest) return 0;
      const existed = objects.delete(key);
      return existed ? 1 : 0;
    },
  };
}
