import { join } from 'node:path';

/** Where `npm start` writes its settings (scripts/sandbox/settings.ts): the checkout's root. */
export const SETTINGS_FILE = join(__dirname, '..', '.sandbox.json');
