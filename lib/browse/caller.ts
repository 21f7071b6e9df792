import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { apiKeyId } from '../common/api-key-id';
import { acceptedKey } from '../common/constant-time';
import type { AccessAudit } from '../layout/access-audit';
import { sessionKeyId, sessionOf } from './session';

/** Who is asking: the name the audit knows the key by, and whether it sees full numbers. */
export interface BrowseCaller {
  name: string;
  seesNumbers: boolean;
  /** Whether the key may export (API_KEYS_EXPORT; every key when unset). */
  mayExport: boolean;
}

/** What browse knows of the keys (docs/design.md "Access audit"). */
export interface CallerDeps {
  apiKeys: readonly string[];
  sessionSecret: string;
  /** The names of API_KEYS' entries; a key without one is known by its apiKeyId. */
  keyNames?: readonly { name: string; key: string }[];
  /** Names of the keys that see full callee numbers (API_KEYS_SEE_NUMBERS). */
  seeNumbers?: readonly string[];
  /** Names of the keys that may export (API_KEYS_EXPORT); undefined: every key. */
  exporters?: readonly string[];
  /** The audit rows of one invocation; none in tests that do not look at them. */
  openAudit?(context: { requestId: string; ip: string | null }): AccessAudit;
}

export function callerOfKey(key: string, deps: CallerDeps): BrowseCaller {
  const name = deps.keyNames?.find((entry) => entry.key === key)?.name ?? apiKeyId(key);
  return {
    name,
    seesNumbers: deps.seeNumbers?.includes(name) ?? false,
    mayExport: deps.exporters?.includes(name) ?? true,
  };
}

/**
 * The caller of a request: the key in `x-api-key`, or the key the session cookie was made
 * with while that key is still in API_KEYS; undefined when neither.
 */
export function callerOf(
  event: APIGatewayProxyEventV2,
  deps: CallerDeps,
  now: number,
): BrowseCaller | undefined {
  const presented = acceptedKey(event.headers?.['x-api-key'], deps.apiKeys);
  if (presented !== undefined) return callerOfKey(presented, deps);
  const ids = deps.apiKeys.map(apiKeyId);
  const id = sessionKeyId(sessionOf(event.cookies), deps.sessionSecret, now, ids);
  const key = id === undefined ? undefined : deps.apiKeys[ids.indexOf(id)];
  return key === undefined ? undefined : callerOfKey(key, deps);
}

const NO_AUDIT: AccessAudit = { record: () => undefined, flush: async () => undefined };

/** This invocation's audit batch: its request id and the caller's address. */
export function auditOf(event: APIGatewayProxyEventV2, deps: CallerDeps): AccessAudit {
  if (!deps.openAudit) return NO_AUDIT;
  return deps.openAudit({
    requestId: event.requestContext?.requestId || randomUUID(),
    ip: event.requestContext?.http?.sourceIp ?? null,
  });
}
