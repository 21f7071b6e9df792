import type { DialogTurn } from '../../../lib/call-detail/schema';
import { el } from '../api';
import { clock } from '../format';
import { t } from '../i18n';
import type { Player } from './player';

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

/** One turn as a button: when it starts, who speaks, what was said; a click plays from there. */
function turnItemOf(turn: DialogTurn, offset: number, player?: Player): HTMLLIElement {
  const robot = turn.role === 'robot';
  const button = el(
    'button',
    { type: 'button', class: 'turn' },
    el('span', { class: 'turn-time' }, clock(offset)),
    el('strong', {}, t().call.speaker(robot ? t().call.robot : t().call.user)),
    el('span', { class: 'turn-text' }, turn.content),
  );
  if (player)
    button.addEventListener('click', () => {
      player.seek(offset);
      void player.audio.play();
    });
  else button.disabled = true;
  return el('li', { class: robot ? 'robot' : 'user' }, button);
}

/** Keeps the turn in sight inside the transcript's own scroll, without moving the page. */
function keepInSight(list: HTMLElement, item: HTMLElement | undefined): void {
  if (
    item &&
    (item.offsetTop < list.scrollTop ||
      item.offsetTop > list.scrollTop + list.clientHeight - item.offsetHeight)
  )
    list.scrollTop = item.offsetTop - list.clientHeight / 3;
}

/** The transcript: one button per turn (click to hear it), the one being spoken marked. */
export function transcriptOf(turns: readonly DialogTurn[], offsets: number[], player?: Player) {
  const items = turns.map((turn, i) => turnItemOf(turn, offsets[i] ?? 0, player));
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
    keepInSight(list, items[now]);
  };
  return { section, follow, currentTurn };
}
