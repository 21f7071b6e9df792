/** What the Dyvmsapi emulator serves (emulators/dyvms/server.ts). */

export interface EmulatorCall {
  taskId: string;
  callee: string;
  /** Day of the call in China, YYYY-MM-DD: QueryDate is matched against it. */
  date: string;
  /** The Data: an object is sent as an escaped JSON string, as the live API does. */
  data: unknown;
  /** A recording-host object name: recordFile is then signed afresh on every query. */
  recording?: string;
}

/** A row of QueryRobotTaskList's Data, as the API documents it (times China, `yyyy.MM.dd HH:mm:ss`). */
export interface EmulatorTask {
  id: string;
  taskName?: string;
  robotId?: string;
  robotName?: string;
  /** INIT, READY, DISPATCH, EXCUTING (sic), MANUAL_STOP, SYSTEM_STOP, ARREARS_STOP, CANCEL, SYSTEM_CANCEL, FINISH */
  status: string;
  scheduleType?: string;
  createTime: string;
  fireTime?: string;
  completeTime?: string;
  totalCount?: number;
  finishCount?: number;
}

export type Fault =
  | { kind: 'throttle' }
  | { kind: 'business-limit' }
  | { kind: 'server-error' }
  | { kind: 'html' }
  | { kind: 'stall'; ms: number }
  | { kind: 'not-ready' }
  | { kind: 'code'; code: string; message: string; status?: number };

/** How a route answers: an HTTP status and the JSON body. */
export type Answer = (status: number, payload: Record<string, unknown>) => void;

/** One answered request, as a test reads it back (DyvmsEmulator's `requests`). */
export interface ObservedRequest {
  at: number;
  action: string;
  scheme: 'ACS3-HMAC-SHA256' | 'HMAC-SHA1';
  status: number;
  code: string;
}
