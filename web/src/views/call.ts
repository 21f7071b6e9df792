import type { DialogTurn } from '../../../lib/call-detail/schema';
import { type ArchivedCall, parseArchivedCall } from '../answers';
import { el, getJson } from '../api';
import {
  bytes,
  chinaDateTime,
  clock,
  countWords,
  duration,
  hangupWords,
  labelWords,
  recordingWords,
  resultWords,
  transferWords,
} from '../format';
import { t } from '../i18n';
import { callLink, extendResult, loadResult, type StoredResult } from '../result';
import { freshView } from '../view-lifetime';
import { createPlayer, type Player } from './player';

/**
 * Where each turn starts in the recording, in seconds. The upstream's times are wall-clock
 * (China, no zone); when they do not fall inside the call, turns are spread evenly instead.
 */
export function turnOffsets(
  turns: readonly DialogTurn[],
  startedAt: string | null,
  seconds: number,
): number[] {
  const start = startedAt ? Date.parse(startedAt) : Number.NaN;
  const offsets = turns.map((turn) =>
    turn.spokenAt ? (Date.parse(turn.spokenAt) - start) / 1000 : Number.NaN,
  );
  const usable = offsets.every(
    (o, i) =>
      Number.isFinite(o) && o >= 0 && o <= seconds && (i === 0 || o >= (offsets[i - 1] ?? 0)),
  );
  return usable ? offsets : turns.map((_, i) => (seconds * i) / Math.max(turns.length, 1));
}

/** The transcript: one button per turn (click to hear it), the one being spoken marked. */
function transcriptOf(turns: readonly DialogTurn[], offsets: number[], player?: Player) {
  const items = turns.map((turn, i) => {
    const robot = turn.role === 'robot';
    const button = el(
      'button',
      { type: 'button', class: 'turn' },
      el('span', { class: 'turn-time' }, clock(offsets[i] ?? 0)),
      el('strong', {}, t().call.speaker(robot ? t().call.robot : t().call.user)),
      el('span', { class: 'turn-text' }, turn.content),
    );
    if (player)
      button.addEventListener('click', () => {
        player.seek(offsets[i] ?? 0);
        void player.audio.play();
      });
    else button.disabled = true;
    return el('li', { class: robot ? 'robot' : 'user' }, button);
  });
  const list = el('ol', { class: 'transcript' }, ...items);
  const section = el(
    'section',
    { class: 'panel', 'aria-labelledby': 'transcript-heading' },
    el('h2', { id: 'transcript-heading' }, t().call.transcript),
    items.length ? list : el('p', { class: 'muted' }, t().call.noDialog),
  );
  let current = -1;
  const currentTurn = () => current;
  const follow = (seconds: number) => {
    let now = -1;
    for (const [i, offset] of offsets.entries()) if (seconds >= offset) now = i;
    if (now === current) return;
    current = now;
    for (const [i, item] of items.entries()) item.setAttribute('aria-current', String(i === now));
    const item = items[now];
    // Keep the turn in sight inside the transcript's own scroll, without moving the page.
    if (
      item &&
      (item.offsetTop < list.scrollTop ||
        item.offsetTop > list.scrollTop + list.clientHeight - item.offsetHeight)
    )
      list.scrollTop = item.offsetTop - list.clientHeight / 3;
  };
  return { section, follow, currentTurn };
}

function factsOf(data: ArchivedCall): HTMLElement {
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

function integrityOf(data: ArchivedCall): HTMLElement {
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
  return el(
    'section',
    { class: 'panel', 'aria-labelledby': 'integrity-heading' },
    el('h2', { id: 'integrity-heading' }, w.heading),
    recording ? list : el('p', { class: 'muted' }, w.none),
    recording ? '' : list,
    downloads,
  );
}

function keysOf(): HTMLElement {
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

/** Where this call sits in the stored result, and the links to its neighbours. */
async function neighbours(
  ref: string,
): Promise<{ result: StoredResult; index: number } | undefined> {
  let result = loadResult();
  if (!result) return undefined;
  let index = result.refs.indexOf(ref);
  if (index < 0) return undefined;
  if (index === result.refs.length - 1 && result.cursor) {
    try {
      result = await extendResult(result);
      index = result.refs.indexOf(ref);
    } catch {
      // the rest of the result stays out of reach; the listed calls still link
    }
  }
  return { result, index };
}

function navOf(date: string, place: { result: StoredResult; index: number } | undefined) {
  const nav = el('nav', { class: 'call-nav', 'aria-label': t().call.details });
  nav.append(
    place
      ? el('a', { href: `/app?${place.result.search}` }, t().call.backToResult)
      : el('a', { href: `/app?date=${date}` }, t().call.backToDay(date)),
  );
  let previous: string | undefined;
  let next: string | undefined;
  if (place) {
    const { refs, matching } = place.result;
    previous = refs[place.index - 1];
    next = refs[place.index + 1];
    const step = el('span', { class: 'step' });
    step.append(
      previous
        ? el('a', { href: callLink(previous), rel: 'prev' }, t().call.previous)
        : el('span', { class: 'muted' }, t().call.previous),
      el(
        'span',
        { class: 'muted' },
        t().call.inResult(place.index + 1, Math.max(matching, refs.length)),
      ),
      next
        ? el('a', { href: callLink(next), rel: 'next' }, t().call.next)
        : el('span', { class: 'muted' }, t().call.next),
    );
    nav.append(step);
  }
  return { nav, previous, next };
}

/** One call, made for listening: the player, the transcript that follows it, what it was, its record. */
export async function callView(root: HTMLElement, ref: string): Promise<void> {
  const signal = freshView();
  const [taskId = '', date = '', ...rest] = ref.split('/');
  const callId = rest.join('/');
  const data = await getJson(
    `/archive/calls/${encodeURIComponent(taskId)}/${encodeURIComponent(date)}/${encodeURIComponent(callId)}`,
    parseArchivedCall,
  );
  const { call } = data;
  const seconds = call.durationSeconds ?? 0;
  const offsets = turnOffsets(call.dialog, call.startedAt, seconds);
  const turns = offsets.map((start, i) => ({
    start,
    end: offsets[i + 1] ?? seconds,
    robot: call.dialog[i]?.role === 'robot',
  }));
  const player = data.recordingUrl ? createPlayer(data.recordingUrl, turns) : undefined;
  const transcript = transcriptOf(call.dialog, offsets, player);
  player?.audio.addEventListener('timeupdate', () => transcript.follow(player.audio.currentTime));
  const place = await neighbours(ref);
  const { nav, previous, next } = navOf(date, place);

  const title = t().call.title(call.callee ?? call.callId, chinaDateTime(call.startedAt));
  document.title = t().app.title(title);
  root.replaceChildren(
    nav,
    el('h1', {}, title),
    data.held ? el('p', { class: 'held-banner', role: 'note' }, t().call.held) : '',
    el(
      'div',
      { class: 'call' },
      el(
        'div',
        { class: 'listen' },
        player ? player.element : el('p', { class: 'panel muted' }, t().call.noRecording),
        transcript.section,
      ),
      el('div', { class: 'about' }, factsOf(data), integrityOf(data), keysOf()),
    ),
  );

  document.addEventListener(
    'keydown',
    (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, select, textarea, [contenteditable]')) return;
      const turn = (step: number) => {
        const i = Math.max(0, Math.min(transcript.currentTurn() + step, offsets.length - 1));
        if (player && offsets.length) player.seek(offsets[i] ?? 0);
      };
      const go = (to: string | undefined) => to && location.assign(callLink(to));
      const actions: Record<string, () => void> = {
        ' ': () => player?.toggle(),
        ArrowLeft: () => player?.skip(-5),
        ArrowRight: () => player?.skip(5),
        j: () => turn(1),
        k: () => turn(-1),
        n: () => go(next),
        p: () => go(previous),
      };
      const action = actions[event.key];
      if (!action) return;
      event.preventDefault();
      action();
    },
    { signal },
  );
}
