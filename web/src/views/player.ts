import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin from 'wavesurfer.js/dist/plugins/regions.esm.js';
import { el } from '../api';
import { clock } from '../format';
import { t } from '../i18n';

export const SPEEDS = [1, 1.25, 1.5, 2] as const;
const SPEED_KEY = 'vca.speed';

export interface Player {
  element: HTMLElement;
  audio: HTMLAudioElement;
  toggle(): void;
  skip(seconds: number): void;
  seek(seconds: number): void;
}

function storedSpeed(): number {
  const speed = Number(localStorage.getItem(SPEED_KEY));
  return (SPEEDS as readonly number[]).includes(speed) ? speed : 1;
}

/**
 * The player: large play / pause, ±5 s, the speeds (the last one chosen is remembered), a
 * position slider (thumb-sized) and the waveform with each turn marked. Built on one
 * `<audio>`; the waveform (wavesurfer.js) draws it and seeks it on click.
 */
export function createPlayer(
  src: string,
  turns: { start: number; end: number; robot: boolean }[],
): Player {
  const audio = el('audio', { preload: 'metadata' });
  audio.src = src;
  const seek = (seconds: number) => {
    audio.currentTime = Math.max(0, Math.min(seconds, knownDuration(audio) || seconds));
  };
  const toggle = () => {
    if (audio.paused) void audio.play();
    else audio.pause();
  };
  const skip = (seconds: number) => seek(audio.currentTime + seconds);
  const { back, play, forward } = transport(audio, toggle, skip);
  const waveform = el('div', { id: 'waveform', 'aria-hidden': 'true' });
  const element = el(
    'section',
    { class: 'player panel', 'aria-label': t().call.player },
    audio,
    waveform,
    el('div', { class: 'controls' }, back, play, forward, speedGroup(audio)),
    position(audio, seek),
  );
  // Created once the player is in the page (wavesurfer measures its container).
  queueMicrotask(() => drawWaveform(waveform, audio, turns));
  return { element, audio, toggle, skip, seek };
}

const knownDuration = (audio: HTMLAudioElement) =>
  Number.isFinite(audio.duration) ? audio.duration : 0;

/** Play / pause (its label follows the audio) and the ±5 s buttons. */
function transport(audio: HTMLAudioElement, toggle: () => void, skip: (s: number) => void) {
  const play = el('button', { type: 'button', class: 'play', 'aria-label': t().call.play }, '▶');
  play.addEventListener('click', toggle);
  const sync = () => {
    play.textContent = audio.paused ? '▶' : '❚❚';
    play.setAttribute('aria-label', audio.paused ? t().call.play : t().call.pause);
  };
  audio.addEventListener('play', sync);
  audio.addEventListener('pause', sync);
  const back = el(
    'button',
    { type: 'button', class: 'skip', title: t().call.back5Hint },
    t().call.back5,
  );
  back.addEventListener('click', () => skip(-5));
  const forward = el(
    'button',
    { type: 'button', class: 'skip', title: t().call.forward5Hint },
    t().call.forward5,
  );
  forward.addEventListener('click', () => skip(5));
  return { back, play, forward };
}

/** The speed buttons; the one in use is pressed, and the last one chosen is remembered. */
function speedGroup(audio: HTMLAudioElement): HTMLElement {
  const speeds = el('div', { class: 'speeds', role: 'group', 'aria-label': t().call.speed });
  const speedButtons = SPEEDS.map((speed) => {
    const button = el('button', { type: 'button', 'aria-pressed': 'false' }, `${speed}×`);
    button.addEventListener('click', () => {
      audio.playbackRate = speed;
      localStorage.setItem(SPEED_KEY, String(speed));
    });
    return button;
  });
  speeds.append(...speedButtons);
  const showSpeed = () => {
    for (const [i, button] of speedButtons.entries())
      button.setAttribute('aria-pressed', String(SPEEDS[i] === audio.playbackRate));
  };
  audio.addEventListener('ratechange', showSpeed);
  audio.addEventListener('loadedmetadata', () => {
    audio.playbackRate = storedSpeed();
    showSpeed();
  });
  audio.playbackRate = storedSpeed();
  showSpeed();
  return speeds;
}

/** The position slider and the time, both following the audio. */
function position(audio: HTMLAudioElement, seek: (seconds: number) => void): HTMLElement {
  const slider = el('input', { type: 'range', min: '0', step: '0.1', value: '0', class: 'seek' });
  slider.setAttribute('aria-label', t().call.position);
  slider.addEventListener('input', () => seek(Number(slider.value)));
  const time = el('span', { class: 'time', 'aria-hidden': 'true' }, '0:00 / 0:00');
  const showTime = () => {
    slider.max = String(knownDuration(audio));
    slider.value = String(audio.currentTime);
    slider.setAttribute('aria-valuetext', clock(audio.currentTime));
    time.textContent = `${clock(audio.currentTime)} / ${clock(knownDuration(audio))}`;
  };
  audio.addEventListener('timeupdate', showTime);
  audio.addEventListener('durationchange', showTime);
  return el('div', { class: 'position' }, slider, time);
}

/** The waveform of the audio (wavesurfer.js), each turn marked as a region once decoded. */
function drawWaveform(
  waveform: HTMLElement,
  audio: HTMLAudioElement,
  turns: { start: number; end: number; robot: boolean }[],
): void {
  const regions = RegionsPlugin.create();
  WaveSurfer.create({
    container: waveform,
    // The page's CSP admits the waveform's own <style> by this nonce (lib/browse).
    cspNonce:
      document.querySelector('meta[name="csp-nonce"]')?.getAttribute('content') ?? undefined,
    media: audio,
    audioRate: storedSpeed(),
    height: 72,
    waveColor: '#8fa6d9',
    progressColor: '#1f4fb5',
    plugins: [regions],
  }).on('decode', () => {
    for (const turn of turns)
      regions.addRegion({
        start: turn.start,
        end: turn.end,
        color: turn.robot ? 'rgba(36,87,197,0.12)' : 'rgba(60,140,60,0.12)',
        drag: false,
        resize: false,
      });
  });
}
