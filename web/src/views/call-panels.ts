import type { ArchivedCall } from '../answers';
import { el } from '../api';
import {
  bytes,
  chinaDateTime,
  countWords,
  duration,
  hangupWords,
  labelWords,
  recordingWords,
  resultWords,
  transferWords,
} from '../format';
import { t } from '../i18n';

/** What the call was: its times, parties, outcome and codes in words. */
export function factsOf(data: ArchivedCall): HTMLElement {
  const { call } = data;
  const w = t().call.facts;
  const list = el('dl');
  const fact = (term: string, value: string) =>
    list.append(el('dt', {}, term), el('dd', {}, value));
  fact(w.startedAt, chinaDateTime(call.startedAt));
  fact(w.endedAt, chinaDateTime(call.endedAt));
  fact(
    w.duration,
    call.durationSeconds === null
      ? t().empty
      : `${duration(call.durationSeconds)} (${t().units.seconds(call.durationSeconds)})`,
  );
  fact(w.callee, call.callee ?? t().empty);
  fact(w.caller, call.caller ?? t().empty);
  fact(w.result, resultWords(call.callResult));
  fact(w.hangupBy, hangupWords(call.hangupBy));
  fact(w.labels, labelWords(call.labels));
  fact(w.transfer, transferWords(call.transfer.status));
  if (call.transfer.number) fact(w.transferNumber, call.transfer.number);
  if (call.transfer.failReason) fact(w.transferFailReason, call.transfer.failReason);
  fact(w.recallCount, call.recallCount === null ? t().empty : String(call.recallCount));
  fact(w.counts, countWords(call.counts));
  fact(w.recordingStatus, recordingWords(call.recording.status));
  fact(w.task, call.taskId);
  fact(w.callId, call.callId);
  return el(
    'section',
    { class: 'panel', 'aria-labelledby': 'facts-heading' },
    el('h2', { id: 'facts-heading' }, t().call.details),
    list,
  );
}

/** Download the recording (when there is one) and the detail.json as the page received it. */
function downloadsOf(data: ArchivedCall): HTMLElement {
  const detailUrl = URL.createObjectURL(
    new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }),
  );
  const downloads = el('div', { class: 'actions' });
  const recordingUrl = data.recordingDownloadUrl ?? data.recordingUrl;
  if (recordingUrl)
    downloads.append(
      el('a', { href: recordingUrl, download: '', class: 'button' }, t().call.downloadRecording),
    );
  downloads.append(
    el(
      'a',
      { href: detailUrl, download: 'detail.json', class: 'button secondary' },
      t().call.downloadDetail,
    ),
  );
  return downloads;
}

/** Its record: the stored recording's hash, size and tag, and the downloads. */
export function integrityOf(data: ArchivedCall): HTMLElement {
  const w = t().call.integrity;
  const list = el('dl', { class: 'integrity' });
  const fact = (term: string, value: string) =>
    list.append(el('dt', {}, term), el('dd', {}, value));
  const recording = data.recording;
  if (recording) {
    fact(w.sha256, recording.sha256);
    fact(
      w.bytes,
      `${new Intl.NumberFormat(t().locale).format(recording.bytes)} (${bytes(recording.bytes)})`,
    );
    fact(w.contentType, recording.contentType);
    fact(w.storeTag, recording.storeTag ?? t().empty);
  }
  fact(w.archivedAt, chinaDateTime(data.archivedAt));
  const downloads = downloadsOf(data);
  return el(
    'section',
    { class: 'panel', 'aria-labelledby': 'integrity-heading' },
    el('h2', { id: 'integrity-heading' }, w.heading),
    recording ? list : el('p', { class: 'muted' }, w.none),
    recording ? '' : list,
    downloads,
  );
}

/** The keys the call page answers to. */
export function keysOf(): HTMLElement {
  const k = t().call.keys;
  const row = (keys: string[], what: string) =>
    el('li', {}, ...keys.flatMap((key, i) => [i ? ' ' : '', el('kbd', {}, key)]), ` ${what}`);
  return el(
    'section',
    { class: 'panel keys', 'aria-labelledby': 'keys-heading' },
    el('h2', { id: 'keys-heading' }, k.heading),
    el(
      'ul',
      {},
      row(['Space'], k.space),
      row(['←', '→'], k.arrows),
      row(['j'], k.nextTurn),
      row(['k'], k.previousTurn),
      row(['n'], k.nextCall),
      row(['p'], k.previousCall),
    ),
  );
}
