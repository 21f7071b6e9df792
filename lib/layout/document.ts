import type * as z from 'zod';
import { StoredDocumentError } from './errors';

/** The first issue of a failed parse as `field: message` (`(document)` for the root). */
export function issueOf(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || '(document)'}: ${issue?.message ?? 'invalid'}`;
}

/**
 * A stored document's text, parsed with its schema. Throws StoredDocumentError naming the
 * key and the field (or saying it is not JSON): a read never trusts a cast.
 */
export function parseDocument<S extends z.ZodType>(
  schema: S,
  key: string,
  text: string,
): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    throw new StoredDocumentError(key, 'not JSON', error);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new StoredDocumentError(key, issueOf(parsed.error), parsed.error);
  return parsed.data;
}

/** What a read needs of the store (`ObjectStore.get`). */
export interface DocumentSource {
  get(key: string): Promise<Buffer | undefined>;
}

/** The document at `key` parsed with its schema, or undefined when there is none. */
export async function readDocument<S extends z.ZodType>(
  store: DocumentSource,
  schema: S,
  key: string,
): Promise<z.output<S> | undefined> {
  const bytes = await store.get(key);
  return bytes === undefined ? undefined : parseDocument(schema, key, bytes.toString('utf8'));
}
