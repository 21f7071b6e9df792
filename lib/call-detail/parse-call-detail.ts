import { LenientJsonError, parseLenientJson } from '../common/lenient-json';
import { CallDetailParseError, CallNotReadyError } from '../errors';
import { chinaTimeToIso } from './china-time';
import { type CallDetail, CallDetailSchema, type DialogTurn } from './schema';

type Raw = Record<string, unknown>;

const HANGUP_BY: Record<string, string> = { '0': 'user', '1': 'robot' };
const TRANSFER_STATUS: Record<string, string> = {
  '1': 'succeeded',
  '0': 'failed',
  '3': 'not_transferred',
};
const RECORDING_STATUS: Record<string, string> = { '1': 'available', '2': 'none' };

const isObject = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Data may be a JSON string (the live API), an object (the JSON example) or near-JSON. */
export function readData(data: unknown): Raw {
  let value = data;
  if (typeof data === 'string') {
    try {
      value = parseLenientJson(data);
    } catch (error: unknown) {
      const reason = error instanceof LenientJsonError ? error.message : String(error);
      throw new CallDetailParseError(`Data is not readable as JSON: ${reason}`, error);
    }
  }
  if (!isObject(value)) {
    throw new CallDetailParseError(`Data must be a JSON object, got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** A scalar as text, or null when absent or empty. Numbers are kept digit for digit. */
function text(raw: Raw, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = raw[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return null;
}

/** Numbers arrive as `"60"` or `60`; anything else that is present is an error. */
function count(raw: Raw, ...keys: string[]): number | null {
  const value = text(raw, ...keys);
  if (value === null) {
    const present = keys.find((key) => raw[key] !== undefined && raw[key] !== null);
    if (present && raw[present] !== '') {
      throw new CallDetailParseError(
        `${present}: expected a whole number, got ${describe(raw[present])}`,
      );
    }
    return null;
  }
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new CallDetailParseError(`${keys[0]}: expected a whole number, got "${value}"`);
  }
  return Number(value);
}

function time(raw: Raw, key: string): string | null {
  const value = text(raw, key);
  if (value === null) return null;
  const iso = chinaTimeToIso(value);
  if (iso === undefined) {
    throw new CallDetailParseError(
      `${key}: expected a time like 2019.06.14 15:22:23, got "${value}"`,
    );
  }
  return iso;
}

/** Known codes become words; an unknown one is kept as received, not guessed. */
function code(raw: Raw, key: string, names: Record<string, string>): string | null {
  const value = text(raw, key);
  if (value === null) return null;
  return names[value] ?? value;
}

function labels(raw: Raw): string[] {
  const value = text(raw, 'label', 'tags');
  if (value === null) return [];
  return value
    .split(/[,，]/)
    .map((label) => label.trim())
    .filter((label) => label.length > 0);
}

/** recordFile's OSS signature `Expires` (epoch seconds) as an ISO instant. */
function expiresAt(url: string | null): string | null {
  if (url === null) return null;
  try {
    const expires = new URL(url).searchParams.get('Expires');
    if (expires === null || !/^\d{1,12}$/.test(expires)) return null;
    return new Date(Number(expires) * 1000).toISOString().replace('.000Z', 'Z');
  } catch {
    throw new CallDetailParseError('recordFile: not a URL');
  }
}

function dialog(raw: Raw): DialogTurn[] {
  let value = raw.dialogDetail;
  if (value === undefined || value === null || value === '') return [];
  if (typeof value === 'string') {
    try {
      value = parseLenientJson(value);
    } catch (error: unknown) {
      throw new CallDetailParseError('dialogDetail: a string that is not a JSON array', error);
    }
  }
  if (!Array.isArray(value)) {
    throw new CallDetailParseError(`dialogDetail: expected an array, got ${describe(value)}`);
  }
  return value.map((turn: unknown, index) => {
    if (!isObject(turn)) {
      throw new CallDetailParseError(`dialogDetail[${index}]: expected an object`);
    }
    const spoken = text(turn, 'speakTime', 'time');
    return {
      role: text(turn, 'role') ?? '',
      content: typeof turn.content === 'string' ? turn.content : (text(turn, 'content') ?? ''),
      spokenAt: spoken === null ? null : (chinaTimeToIso(spoken) ?? null),
    };
  });
}

/**
 * Turns `Data` in any of the forms the upstream uses into a CallDetail, or throws a
 * CallDetailParseError naming the field. Never returns a half-filled object.
 * Kept in one piece: it is one mapping, read field by field against the upstream's `Data`,
 * and every field's source and quirk sit on its own line.
 */
export function parseCallDetail(data: unknown): CallDetail {
  const raw = readData(data);
  const taskId = text(raw, 'taskId');
  if (taskId === null || !/^\d+$/.test(taskId)) {
    throw new CallDetailParseError('taskId: missing or not digits');
  }
  const callId = text(raw, 'callId');
  if (callId === null) throw new CallDetailParseError('callId: missing');
  const recordFile = text(raw, 'recordFile');
  const recordStatus = text(raw, 'recordStatus');

  const detail: CallDetail = {
    taskId,
    callId,
    caller: text(raw, 'caller'),
    callee: text(raw, 'called', 'callee'),
    durationSeconds: count(raw, 'duration'),
    labels: labels(raw),
    dialogCount: count(raw, 'dialogCount'),
    callResult: text(raw, 'callResult'),
    hangupBy: code(raw, 'hangupDirection', HANGUP_BY),
    transfer: {
      status: code(raw, 'transferResult', TRANSFER_STATUS),
      number: text(raw, 'transferNumber'),
      // The doc spells it transferFailReson in one place and transferFailReason in another.
      failReason: text(raw, 'transferFailReason', 'transferFailReson'),
    },
    recallCount: count(raw, 'recallCurTimes'),
    startedAt: time(raw, 'callStartTime'),
    endedAt: time(raw, 'callEndTime'),
    counts: {
      sure: count(raw, 'sureCount'),
      deny: count(raw, 'denyCount'),
      reject: count(raw, 'rejectCount'),
      custom: count(raw, 'customCount'),
      // konwledgeCount is the upstream's spelling; accept the corrected one too.
      knowledge: count(raw, 'konwledgeCount', 'knowledgeCount'),
      default: count(raw, 'defaultCount'),
      knowledgeBusiness: count(raw, 'knowledgeBusinessCount'),
      knowledgeCommon: count(raw, 'knowledgeCommonCount'),
    },
    recording: {
      status: recordStatus === null ? 'pending' : (RECORDING_STATUS[recordStatus] ?? recordStatus),
      url: recordFile,
      expiresAt: expiresAt(recordFile),
    },
    dialog: dialog(raw),
    raw,
  };
  // The schema is the contract: a mapping bug fails here, not in a customer's CRM.
  const checked = CallDetailSchema.safeParse(detail);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new CallDetailParseError(`${issue?.path.join('.')}: ${issue?.message}`);
  }
  return checked.data;
}

/**
 * `Code: OK` with no `Data` is how the upstream says the call has no detail (yet): right
 * after a call ends the record is not written, so this must stay retryable.
 */
export function parseCallDetailResponse(response: {
  Data?: unknown;
  RequestId?: string;
}): CallDetail {
  const data = response.Data;
  if (data === undefined || data === null || (typeof data === 'string' && data.trim() === '')) {
    throw new CallNotReadyError(
      'The Voice Service has no detail for this call (yet): if the call just ended, retry in a minute',
      response.RequestId,
    );
  }
  return parseCallDetail(data);
}
