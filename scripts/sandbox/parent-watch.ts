import { readFileSync } from 'node:fs';

/** How often the ancestors are looked at: a stop within about a third of a second. */
const EVERY_MS = 300;

interface Stat {
  ppid: number;
  pgrp: number;
  /** Clock ticks since boot when it started: tells a process from a later one with its pid. */
  started: string;
}

/** /proc/<pid>/stat's fields after the command name (which may itself hold spaces or `)`). */
function stat(pid: number | 'self'): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), pgrp: Number(fields[2]), started: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

/**
 * The processes that started this one and share its process group: with `npm start` typed
 * in a shell, that is tsx's wrapper, `sh -c` and npm itself (the shell puts the job in a
 * group of its own; the shell is not in it, so `nohup npm start &` outlives the shell as
 * it should). The direct parent counts whatever its group.
 */
function ancestors(): { pid: number; started: string }[] {
  const own = stat('self');
  if (!own) return [];
  const chain: { pid: number; started: string }[] = [];
  for (let pid = own.ppid; pid > 1; ) {
    const info = stat(pid);
    if (!info || (chain.length > 0 && info.pgrp !== own.pgrp)) break;
    chain.push({ pid, started: info.started });
    pid = info.ppid;
  }
  return chain;
}

/**
 * Calls `onGone` once any process that started this one is gone. npm does not pass a
 * SIGTERM on to tsx's wrapper, and SIGKILL passes on nothing: without this the sandbox
 * would run on orphaned, its port held. Where there is no /proc, only the direct parent is
 * watched (a change of parent means it is gone).
 */
export function watchAncestors(onGone: () => void): void {
  const watched = ancestors();
  const parent = process.ppid;
  setInterval(() => {
    const gone =
      process.ppid !== parent || watched.some(({ pid, started }) => stat(pid)?.started !== started);
    if (gone) onGone();
  }, EVERY_MS).unref();
}
