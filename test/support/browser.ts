/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

/** Debian's Chromium through playwright-core, quiet and muted, autoplay allowed. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
      '--mute-audio',
    ],
  });
}

/**
 * A click as a person makes it: the mouse moves to the middle of what they see and presses
 * there. Whatever lies on top at that point (an overlay) takes the click, as it would theirs.
 */
export async function clickLikeAPerson(page: Page, target: Locator): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (!box) throw new Error(`${target} is not laid out`);
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

/** Signs in on the sign-in form the page shows, with the mouse. */
export async function signInHere(page: Page, apiKey: string): Promise<void> {
  await page.fill('#api-key', apiKey);
  await clickLikeAPerson(page, page.locator('form.sign-in button[type=submit]'));
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core's serious and critical violations on the page as it is now. Call it on a page of
 * a context made with `bypassCSP: true`: axe is injected as an inline script, which the
 * page's own policy (rightly) refuses.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } })
      .axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}
