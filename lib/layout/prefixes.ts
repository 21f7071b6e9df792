import { TASK_ID } from '../call-detail/identity';

/**
 * Every prefix of the archive besides the call folders (docs/design.md "The archive"). A
 * prefix that is not a task id starts with `_` (or is `index/`), so no listing of calls
 * can mistake one for a task.
 */
export const PREFIXES = {
  /** Parked records and jobs, with their reason: `_rejected/{date}/{id}.json`. */
  rejected: '_rejected/',
  /** The local dispatcher's journal of accepted jobs: `_pending/{date}/{uuid}.json`. */
  pending: '_pending/',
  /** A queued job's last failed attempt, until it succeeds or is parked: `_attempts/{date}/{id}/note.json`. */
  attempts: '_attempts/',
  /** Reconcile's run summaries, finished tasks and cursor. */
  reconcile: '_reconcile/',
  /** The call index, with its state. */
  index: 'index/',
  /** Tombstones of erased calls. */
  erased: '_erased/',
  holds: '_holds/',
  /** Erasure receipts and access rows. */
  audit: '_audit/',
  exports: '_exports/',
  /** Notification state. */
  alerts: '_alerts/',
  /** The doctor's probes. */
  doctor: '_doctor/',
} as const;

/**
 * Whether a top-level folder of the archive is a task's (digits): every `_` prefix and
 * `index/` are not, whatever they hold. The one rule every listing of calls goes by.
 */
export const isTaskFolder = (name: string): boolean => TASK_ID.test(name);

/** A `YYYY-MM-DD` day as a key segment (the shape only: the caller validates the day). */
export const DAY_SEGMENT = /^\d{4}-\d{2}-\d{2}$/;
