import { type ArchivedCall, parseArchivedCall } from '../answers';
import { el, getJson } from '../api';
import { chinaDateTime } from '../format';
import { t } from '../i18n';
import { callLink } from '../result';
import { freshView } from '../view-lifetime';
import { navOf, neighbours } from './call-nav';
import { factsOf, integrityOf, keysOf } from './call-panels';
import { createPlayer } from './player';
import { transcriptOf, turnOffsets } from './transcript';

/** The player (when there is a recording) and the transcript that follows it. */
function listenOf(data: ArchivedCall) {
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
  return { offsets, player, transcript };
}
type Listening = ReturnType<typeof listenOf>;

function drawCall(root: HTMLElement, data: ArchivedCall, nav: HTMLElement, listen: Listening) {
  const { call } = data;
  const { player, transcript } = listen;
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
}

/** Space, ← →, j / k (turns) and n / p (calls of the result), until the next view starts. */
function answerKeys(
  { offsets, player, transcript }: Listening,
  { previous, next }: { previous?: string; next?: string },
  signal: AbortSignal,
): void {
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

/** One call, made for listening: the player, the transcript that follows it, what it was, its record. */
export async function callView(root: HTMLElement, ref: string): Promise<void> {
  const signal = freshView();
  const [taskId = '', date = '', ...rest] = ref.split('/');
  const callId = rest.join('/');
  const data = await getJson(
    `/archive/calls/${encodeURIComponent(taskId)}/${encodeURIComponent(date)}/${encodeURIComponent(callId)}`,
    parseArchivedCall,
  );
  const listen = listenOf(data);
  const place = await neighbours(ref);
  const { nav, previous, next } = navOf(date, place);
  drawCall(root, data, nav, listen);
  answerKeys(listen, { previous, next }, signal);
}
