import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseLenientJson } from '../../lib/common/lenient-json';
import { authenticate } from './authenticate';
import { queryCallDetail } from './detail-action';
import { serveFault } from './faults';
import { listCalls, listTasks } from './list-actions';
import type { Answer, EmulatorCall, EmulatorTask, Fault, ObservedRequest } from './model';
import { type EmulatorRequest, readRequest } from './request';

export type { EmulatorCall, EmulatorTask, Fault, ObservedRequest } from './model';

/**
 * A Dyvmsapi emulator on 127.0.0.1: speaks the RPC protocol of QueryRobotTaskCallDetail,
 * checks both signature schemes independently, refuses a reused SignatureNonce, serves
 * calls from a table, and misbehaves on request (throttling, 5xx, HTML, stalls, "not
 * ready yet") so the client's retries are tested over a real socket. Each request reads as
 * authenticate (authenticate.ts) / fault (faults.ts) / route (list-actions.ts and
 * detail-action.ts).
 */

export interface EmulatorOptions {
  calls?: EmulatorCall[];
  /** AccessKeyId → AccessKeySecret. */
  credentials?: Record<string, string>;
  /** How far a request's timestamp may be from the emulator's clock. */
  maxClockSkewMs?: number;
  /** QueryRobotTaskList's tasks; unset: one FINISH task per task id of `calls`. */
  tasks?: EmulatorTask[];
  /**
   * How the list actions page. The API documents no largest page: `serveAtMost` serves at
   * most that many rows whatever was asked, `refuseOver` refuses a larger PageSize with
   * isv.INVALID_PARAMETERS, as servers we cannot see might.
   */
  paging?: { serveAtMost?: number; refuseOver?: number };
}

export class DyvmsEmulator {
  readonly requests: ObservedRequest[] = [];
  private readonly calls = new Map<string, EmulatorCall>();
  private readonly credentials: Record<string, string>;
  private readonly faults: Fault[] = [];
  private readonly nonces = new Set<string>();
  private readonly maxClockSkewMs: number;
  private server: Server | undefined;
  private readonly stalled = new Set<ServerResponse>();
  private signRecording: ((name: string) => string) | undefined;
  private readonly explicitTasks: EmulatorTask[] | undefined;
  readonly paging: { serveAtMost?: number; refuseOver?: number };
  url = '';

  /** Where recordFile URLs come from (a RecordingHost's signedUrl). */
  useRecordingHost(sign: (name: string) => string): void {
    this.signRecording = sign;
  }

  constructor(options: EmulatorOptions = {}) {
    this.credentials = options.credentials ?? { LTAIemulatorKeyId: 'emulator-secret' };
    this.maxClockSkewMs = options.maxClockSkewMs ?? 15 * 60_000;
    for (const call of options.calls ?? []) this.addCall(call);
    this.explicitTasks = options.tasks;
    this.paging = { ...options.paging };
  }

  private readonly taskChanges = new Map<string, Partial<EmulatorTask>>();

  /** Changes a task as QueryRobotTaskList will describe it (status, times). */
  updateTask(id: string, fields: Partial<EmulatorTask>): void {
    this.taskChanges.set(id, { ...this.taskChanges.get(id), ...fields });
  }

  /** The tasks QueryRobotTaskList serves. */
  get tasks(): EmulatorTask[] {
    return this.baseTasks().map((task) => ({ ...task, ...this.taskChanges.get(task.id) }));
  }

  private baseTasks(): EmulatorTask[] {
    if (this.explicitTasks) return this.explicitTasks;
    const firstDay = new Map<string, string>();
    for (const call of this.calls.values()) {
      const day = firstDay.get(call.taskId);
      if (day === undefined || call.date < day) firstDay.set(call.taskId, call.date);
    }
    return [...firstDay].map(([id, day]) => ({
      id,
      taskName: `task ${id}`,
      status: 'FINISH',
      createTime: `${day.replaceAll('-', '.')} 08:00:00`,
      fireTime: `${day.replaceAll('-', '.')} 09:00:00`,
      completeTime: `${day.replaceAll('-', '.')} 18:00:00`,
    }));
  }

  /**
   * Adds a call, or replaces the one with the same call id. A second call of one callee in
   * one task on one day is listed beside the first, but the detail action answers only the
   * latest, as the live API does (it is keyed by task, callee and day).
   */
  addCall(call: EmulatorCall): void {
    let data: unknown = call.data;
    try {
      if (typeof data === 'string') data = parseLenientJson(data);
    } catch {
      data = undefined; // a garbled Data on purpose: it has no call id to tell it by
    }
    const callId = (data as { callId?: unknown } | null | undefined)?.callId;
    const key = `${call.taskId}|${call.callee}|${call.date}|${String(callId ?? '')}`;
    this.calls.delete(key);
    this.calls.set(key, call);
  }

  /** The latest call of `callee` in `taskId` on `date`: the one the detail action answers. */
  private latestCall(taskId: string, callee: string, date: string): EmulatorCall | undefined {
    let latest: EmulatorCall | undefined;
    for (const call of this.calls.values())
      if (call.taskId === taskId && call.callee === callee && call.date === date) latest = call;
    return latest;
  }

  /** Injected faults not yet served. */
  get faultsLeft(): number {
    return this.faults.length;
  }

  /** The next requests, one fault each, in order. */
  injectFaults(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            Code: 'InternalError',
            Message: String(error),
            RequestId: randomUUID(),
          }),
        );
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, host, resolve));
    const address = this.server.address() as AddressInfo;
    this.url = `http://${host}:${address.port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const res of this.stalled) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /** One request: authenticated as Dyvmsapi does, then an injected fault, then its action. */
  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = await readRequest(req);
    const answer = this.answerer(request, res);
    const { credentials, maxClockSkewMs, nonces } = this;
    const refusal = authenticate(request, { credentials, maxClockSkewMs, nonces });
    if (refusal) return answer(refusal.status, refusal.payload);
    const fault = this.faults.shift();
    const context = { requests: this.requests, stalled: this.stalled };
    if (fault && (await serveFault(fault, request, res, answer, context))) return;
    return this.route(request.action, request.params, answer);
  }

  /** Answers as the live API does (a request id header and body), and counts the answer. */
  private answerer(request: EmulatorRequest, res: ServerResponse): Answer {
    const { at, action, scheme } = request;
    return (status, payload) => {
      const requestId = randomUUID().toUpperCase();
      this.requests.push({ at, action, scheme, status, code: String(payload.Code) });
      res.writeHead(status, {
        'content-type': 'application/json;charset=utf-8',
        'x-acs-request-id': requestId,
      });
      res.end(JSON.stringify({ RequestId: requestId, ...payload }));
    };
  }

  /** The action itself: the two listings, or QueryRobotTaskCallDetail from the call table. */
  private route(action: string, params: Record<string, string>, answer: Answer) {
    if (action === 'QueryRobotTaskCallList')
      return listCalls(this.calls.values(), params, this.paging, answer);
    if (action === 'QueryRobotTaskList') return listTasks(this.tasks, params, this.paging, answer);
    return queryCallDetail(
      params,
      (taskId, callee, date) => this.latestCall(taskId, callee, date),
      this.signRecording,
      answer,
    );
  }
}
