import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorCall } from './server';

/** The sandbox's and the tests' sample calls: the seed's call and a few variants. Fresh copies. */
export function sampleCalls(): EmulatorCall[] {
  return JSON.parse(readFileSync(join(__dirname, 'sample-calls.json'), 'utf8')) as EmulatorCall[];
}
