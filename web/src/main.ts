import { el, SignInNeeded, signOut } from './api';
import { callView } from './views/call';
import { dayView } from './views/day';
import { signInView } from './views/sign-in';

/** Today in China, where the calls happen, whatever the reviewer's own time zone. */
const today = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

async function route(): Promise<void> {
  const root = document.getElementById('app') as HTMLElement;
  const params = new URLSearchParams(location.search);
  try {
    const call = params.get('call');
    if (call) await callView(root, call);
    else {
      if (!params.get('date')) params.set('date', today());
      await dayView(root, params);
    }
  } catch (error: unknown) {
    // Not signed in: sign in first, then land on the very link that was opened.
    if (error instanceof SignInNeeded) signInView(root, () => void route());
    else
      root.replaceChildren(
        el(
          'p',
          { class: 'error', role: 'alert' },
          error instanceof Error ? error.message : String(error),
        ),
      );
  }
}

window.addEventListener('popstate', () => void route());
document.getElementById('sign-out')?.addEventListener('click', async () => {
  await signOut();
  signInView(document.getElementById('app') as HTMLElement, () => void route());
});
void route();
