import { en } from './en';
import { type Catalogue, zh } from './zh';

export type Language = 'zh' | 'en';
const CATALOGUES: Record<Language, Catalogue> = { zh, en };
const STORED = 'vca.language';

function stored(): Language {
  try {
    return localStorage.getItem(STORED) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

let current: Language = stored();

/** The words of the language chosen (简体中文 unless English was picked, and remembered). */
export function t(): Catalogue {
  return CATALOGUES[current];
}

export function language(): Language {
  return current;
}

/** Picks a language, remembers it in localStorage and sets `<html lang>`. */
export function setLanguage(next: Language): void {
  current = next;
  try {
    localStorage.setItem(STORED, next);
  } catch {
    // private mode: the choice lasts this page only
  }
  applyLanguage();
}

export function applyLanguage(): void {
  document.documentElement.lang = t().htmlLang;
}
