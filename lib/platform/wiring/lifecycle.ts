import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { type Config, requireHashSecret } from '../../config';
import { accessAudit } from '../../layout/access-audit';
import { archiveStore } from './collaborators';

/**
 * What erase, hold, release, retention and audit act with: the archive, AUDIT_HASH_SECRET
 * (required: numbers kept for matching are kept only as its HMAC), RETENTION_DAYS, and the
 * access rows of this one run, under the name of whoever runs the CLI.
 */
export function lifecycleServices(config: Config, who = `cli:${cliUser()}`) {
  const store = archiveStore(config);
  return {
    store,
    hashSecret: requireHashSecret(config),
    retentionDays: config.lifecycle.retentionDays,
    who,
    audit: accessAudit(store, { requestId: randomUUID(), ip: null }),
  };
}

/** The account running the CLI, as the audit's `who` names it (`cli:alice`). */
export function cliUser(): string {
  try {
    return (
      userInfo()
        .username.toLowerCase()
        .replace(/[^a-z0-9_.-]/g, '_') || 'unknown'
    );
  } catch {
    return 'unknown';
  }
}
