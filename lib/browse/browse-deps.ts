import type { ObjectStore } from '../storage/object-store';
import type { CallerDeps } from './caller';

/** What browse's routes are built from (lib/platform/wiring.ts `browseServices`). */
export interface BrowseDeps extends CallerDeps {
  store: ObjectStore;
  /** AUDIT_HASH_SECRET, to tell which calls a hold by callee keeps (shown as held). */
  hashSecret?: string;
  /** The page's built files (`index.html`, `app.js`, `app.css`) by name. */
  asset(name: string): { body: Buffer; contentType: string } | undefined;
  now?: () => number;
}
