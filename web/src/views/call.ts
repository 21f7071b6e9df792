import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin from 'wavesurfer.js/dist/plugins/regions.esm.js';
import type { DialogTurn } from '../../../lib/call-detail/schema';
import type { ArchivedDetail } from '../../../lib/layout/call-folder';
import { el, getJson } from '../api';

type Turn = DialogTurn;
/** `GET /archive/calls/{taskId}/{date}/{callId}`: the stored `detail.json` and URLs to play and download. */
type ArchivedCall = ArchivedDetail & {
  recordingUrl: string | null;
  /** The same recording as an attachment (Content-Disposition: attachment). */
  recordingDownloadUrl?: string | null;
};

const mask = (phone: string | null) =>
  phone && phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '—';
const clock = (seconds: number) =>
  `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

/**
 * Where each turn starts in the recording, in seconds. The upstream's times are wall-clock
 * (China, no zone); when they do not fall inside the call, turns are spread evenly instead.
 */
export function turnOffsets(
  turns: readonly Turn[],
  startedAt: string | null,
  duration: number,
): number[] {
  const start = startedAt ? Date.parse(startedAt) : Number.NaN;
  const offsets = turns.map((turn) =>
    turn.spokenAt ? (Date.parse(turn.spokenAt) - start) / 1000 : Number.NaN,
  );
  const usable = offsets.every(
    (o, i) =>
      Number.isFinite(o) && o >= 0 && o <= duration && (i === 0 || o >= (offsets[i - 1] ?? 0)),
  );
  return usable ? offsets : turns.map((_, i) => (duration * i) / Math.max(turns.length, 1));
}

/** One call: player, waveform with the turns marked, transcript that follows the audio. */
export async function callView(root: HTMLElement, ref: string): Promise<void> {
  const [taskId = '', date = '', ...rest] = ref.split('/');
  const callId = rest.join('/');
  const data = await getJson<ArchivedCall>(
    `/archive/calls/${taskId}/${date}/${encodeURIComponent(callId)}`,
  );
  const { call } = data;
  const duration = call.durationSeconds ?? 0;
  const offsets = turnOffsets(call.dialog, call.startedAt, duration);

  const audio = el('audio', { controls: '', preload: 'metadata', 'aria-label': 'Recording' });
  const waveform = el('div', { id: 'waveform', 'aria-hidden': 'true' });
  const items = call.dialog.map((turn, i) =>
    el(
      'li',
      {
        class: turn.role === 'robot' ? 'robot' : 'user',
        tabindex: '0',
        'data-offset': String(offsets[i] ?? 0),
      },
      el('span', { class: 'turn-time' }, clock(offsets[i] ?? 0)),
      el('strong', {}, turn.role === 'robot' ? 'Robot: ' : 'User: '),
      turn.content,
    ),
  );
  const transcript = el('ol', { class: 'transcript', 'aria-label': 'Transcript' }, ...items);
  for (const item of items) {
    const seek = () => {
      audio.currentTime = Number(item.dataset.offset);
      void audio.play();
    };
    item.addEventListener('click', seek);
    item.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        seek();
      }
    });
  }
  audio.addEventListener('timeupdate', () => {
    let current = -1;
    offsets.forEach((offset, i) => {
      if (audio.currentTime >= offset) current = i;
    });
    for (const [i, item] of items.entries())
      item.setAttribute('aria-current', String(i === current));
  });

  const facts = el('dl');
  const fact = (term: string, value: string) =>
    facts.append(el('dt', {}, term), el('dd', {}, value));
  fact('Task', call.taskId);
  fact('Callee', mask(call.callee));
  fact('Started', call.startedAt ?? '—');
  fact('Duration', `${duration} s`);
  fact('Result', call.callResult ?? '—');
  fact('Hung up by', call.hangupBy ?? '—');
  fact('Labels', call.labels.join(', ') || '—');
  fact(
    'Transfer',
    [call.transfer.status, call.transfer.number, call.transfer.failReason]
      .filter(Boolean)
      .join(' · '),
  );
  fact(
    'Counts',
    Object.entries(call.counts)
      .filter(([, n]) => n)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || '—',
  );
  fact('Bytes', data.recording ? String(data.recording.bytes) : 'no recording');
  fact('SHA-256', data.recording?.sha256 ?? '—');
  fact('storeTag', data.recording?.storeTag ?? '—');

  const detailUrl = URL.createObjectURL(
    new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }),
  );
  const actions = el(
    'div',
    { class: 'actions' },
    el('a', { href: detailUrl, download: 'detail.json' }, 'Download detail.json'),
  );
  const downloadUrl = data.recordingDownloadUrl ?? data.recordingUrl;
  if (downloadUrl)
    actions.prepend(el('a', { href: downloadUrl, download: '' }, 'Download recording'));

  root.replaceChildren(
    el('p', {}, el('a', { href: `/app?date=${date}` }, `← Calls of ${date}`)),
    el('h1', {}, `Call ${call.callId}`),
    el(
      'div',
      { class: 'call' },
      el(
        'section',
        { class: 'panel' },
        data.recordingUrl ? audio : el('p', { class: 'muted' }, 'This call has no recording.'),
        waveform,
        transcript,
      ),
      el('section', { class: 'panel' }, facts, actions),
    ),
  );
  if (data.recordingUrl) {
    audio.src = data.recordingUrl;
    const regions = RegionsPlugin.create();
    WaveSurfer.create({
      container: waveform,
      // The page's CSP admits the waveform's own <style> by this nonce (lib/browse).
      cspNonce:
        document.querySelector('meta[name="csp-nonce"]')?.getAttribute('content') ?? undefined,
      media: audio,
      height: 80,
      waveColor: '#9db3e6',
      progressColor: '#2457c5',
      plugins: [regions],
    }).on('decode', () => {
      for (const [i, start] of offsets.entries()) {
        regions.addRegion({
          start,
          end: offsets[i + 1] ?? duration,
          color: call.dialog[i]?.role === 'robot' ? 'rgba(36,87,197,0.12)' : 'rgba(60,140,60,0.12)',
          drag: false,
          resize: false,
        });
      }
    });
  }
}
