/**
 * The shape browse's day list answers, shared with the page (web/src), which imports this
 * type alone: keep this file free of imports.
 */
/** One call in a list (a day's, or a search across days): enough to find it, never a full phone number. */
export interface CallSummary {
  /** The call's day (Asia/Shanghai), as in its archive key. */
  date: string;
  taskId: string;
  callId: string;
  callee: string;
  startedAt: string | null;
  durationSeconds: number | null;
  callResult: string | null;
  labels: string[];
  hangupBy: string | null;
  recording: { bytes: number; contentType: string } | null;
  /** Kept by a hold (docs/design.md "Letting data go"): erasure and retention skip it. */
  held: boolean;
}
