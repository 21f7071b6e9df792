import { el, SignInNeeded, signOut } from './api';
import { applyLanguage, language, setLanguage, t } from './i18n';
import { callView } from './views/call';
import { problemView } from './views/problem';
import { searchView } from './views/search';
import { signInView } from './views/sign-in';

const root = () => document.getElementById('app') as HTMLElement;

/** The address says the view: `?call=…` one call, anything else a search (`?date=`, `?from=…`). */
async function route(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const call = params.get('call');
  try {
    if (call) await callView(root(), call);
    else await searchView(root(), params);
  } catch (error: unknown) {
    // Not signed in (or the session expired): sign in, then land on the very link that was open.
    if (error instanceof SignInNeeded) signInView(root(), () => void route());
    else problemView(root(), error, call?.split('/')[1]);
  }
}

/** The bar: the archive's name (to the search), the language switch and sign-out. */
function drawBar(): void {
  const bar = document.getElementById('bar') as HTMLElement;
  const w = t().bar;
  const switchLanguage = el(
    'button',
    { type: 'button', class: 'language', lang: language() === 'zh' ? 'en' : 'zh-CN' },
    w.switchLanguage,
  );
  switchLanguage.setAttribute('aria-label', w.switchLanguageLabel);
  switchLanguage.addEventListener('click', () => {
    setLanguage(language() === 'zh' ? 'en' : 'zh');
    drawBar();
    void route();
  });
  const out = el('button', { type: 'button', id: 'sign-out', class: 'sign-out' }, w.signOut);
  out.addEventListener('click', async () => {
    await signOut();
    signInView(root(), () => void route(), true);
  });
  const skip = document.getElementById('skip');
  if (skip) skip.textContent = t().app.skip;
  bar.replaceChildren(
    el('a', { href: '/app', class: 'brand' }, t().app.name),
    el('div', { class: 'bar-actions' }, switchLanguage, out),
  );
}

applyLanguage();
drawBar();
window.addEventListener('popstate', () => void route());
void route();
