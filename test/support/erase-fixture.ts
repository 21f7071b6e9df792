import { randomUUID } from 'node:crypto';
import { sampleCalls } from '../../emulators/dyvms/sample-calls';
import { archiveCall } from '../../lib/archive/archive-call';
import { chinaDate } from '../../lib/call-detail/china-time';
import { readPart } from '../../lib/call-index/reader';
import { type AccessAudit, accessAudit } from '../../lib/layout/access-audit';
import { pendingKey } from '../../lib/layout/journal';
import type { EraseDeps } from '../../lib/lifecycle/erase';
import type { CallEndedJob } from '../../lib/model/call-ended-job';
import { park } from '../../lib/parking/park';
import type { ObjectStore } from '../../lib/storage/object-store';
import type { Harness } from './harness';

export const TARGET = '13912345678';
export const AUDIT_SECRET = 'erase-test-audit-secret-0123456789';
const NOW = Date.now();
export const D1 = chinaDate(NOW - 26 * 3600_000);
export const D2 = chinaDate(NOW - 3600_000);

const china = (day: string, time: string) => `${day.replaceAll('-', '.')} ${time}`;

export interface FixtureCall extends CallEndedJob {
  callId: string;
  recording?: string;
}

/** The target's calls over two days and two tasks, beside three other callees' calls. */
export const CALLS: FixtureCall[] = [
  {
    taskId: '5000001',
    callee: TARGET,
    date: D1,
    callId: '5000001001^91',
    recording: 'target-1.wav',
  },
  { taskId: '5000001', callee: TARGET, date: D2, callId: '5000001002^92' },
  { taskId: '5000002', callee: TARGET, date: D1, callId: '5000002001^93' },
  {
    taskId: '5000001',
    callee: '13700000001',
    date: D1,
    callId: '5000001003^94',
    recording: 'other-1.wav',
  },
  { taskId: '5000002', callee: '13700000002', date: D1, callId: '5000002002^95' },
  { taskId: '5000002', callee: '13700000003', date: D2, callId: '5000002003^96' },
];
export const TARGET_CALLS = CALLS.filter((call) => call.callee === TARGET);
export const OTHER_CALLS = CALLS.filter((call) => call.callee !== TARGET);
export const keyOf = (call: FixtureCall) =>
  `${call.taskId}/${call.date}/${call.callId.replaceAll('^', '_')}`;

/** The calls upstream (the emulator) and their recordings on the recording host. */
export function addUpstreamCalls(h: Harness): void {
  const template = sampleCalls()[0]?.data as Record<string, unknown>;
  for (const [n, call] of CALLS.entries()) {
    if (call.recording) h.host.addRecording(call.recording, { size: 64 * 1024 + n, seed: n + 2 });
    h.dyvms.addCall({
      taskId: call.taskId,
      callee: call.callee,
      date: call.date,
      recording: call.recording,
      data: {
        ...template,
        taskId: Number(call.taskId),
        called: call.callee,
        callId: call.callId,
        callStartTime: china(call.date, `00:1${n}:00`),
        callEndTime: china(call.date, `00:1${n}:30`),
        recordStatus: call.recording ? 1 : 2,
        recordFile: call.recording ? template.recordFile : undefined,
      },
    });
  }
}

/** Archives every call, and leaves parked records and journal entries naming the target. */
export async function archiveAll(h: Harness): Promise<void> {
  for (const call of CALLS) {
    const outcome = await archiveCall(
      { taskId: call.taskId, callee: call.callee, date: call.date, callId: call.callId },
      h.deps,
    );
    if (outcome.status !== 'archived' && outcome.status !== 'no-recording')
      throw new Error(`${keyOf(call)}: ${outcome.status}`);
  }
  const record = (callee: string, callId: string) => ({
    task_id: '5000001',
    callee: `+86 ${callee.slice(0, 3)}-${callee.slice(3, 7)}-${callee.slice(7)}`,
    call_id: callId,
    status_code: 'bad',
  });
  await park(h.store, 'record', record(TARGET, 'x1'), 'InvalidRecord: test', NOW, { day: D1 });
  await park(
    h.store,
    'records',
    [
      { index: 0, reason: 'bad', record: record(TARGET, 'x2') },
      { index: 1, reason: 'bad', record: record('13700000002', 'x3') },
    ],
    'InvalidRecord: two',
    NOW,
    { day: D1 },
  );
  await park(h.store, 'job', { taskId: '5000002', callee: '13700000003', date: D2 }, 'other', NOW, {
    day: D2,
  });
  const journal = (jobs: unknown[]) =>
    h.store.put(
      pendingKey(D2, randomUUID()),
      JSON.stringify({ acceptedAt: new Date().toISOString(), jobs }),
      {
        contentType: 'application/json',
      },
    );
  await journal([
    { taskId: '5000001', callee: TARGET, date: D2 },
    { taskId: '5000002', callee: '13700000003', date: D2 },
  ]);
  await journal([{ taskId: '5000001', callee: TARGET, date: D1 }]);
}

/** Every stored object as text (Parquet parts as their rows, read through the index's reader). */
export async function everyStoredText(store: ObjectStore): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const key of await store.list('')) {
    if (key.endsWith('.parquet')) texts.set(key, JSON.stringify(await readPart(store, key)));
    else texts.set(key, (await store.get(key))?.toString('latin1') ?? '');
  }
  return texts;
}

/** The keys of the objects whose text holds `number` in any of the forms it is written in. */
export function keysNaming(texts: Map<string, string>, number: string): string[] {
  const forms = [number, `${number.slice(0, 3)}-${number.slice(3, 7)}-${number.slice(7)}`];
  return [...texts]
    .filter(([, text]) => forms.some((form) => text.includes(form)))
    .map(([key]) => key);
}

export function actor(store: ObjectStore, now?: () => number): EraseDeps & { audit: AccessAudit } {
  return {
    store,
    hashSecret: AUDIT_SECRET,
    who: 'cli:test',
    audit: accessAudit(store, { requestId: randomUUID(), ip: null }),
    now,
    sleep: async () => undefined,
  };
}
