import { browseSearch } from './browse';
import { callIndexCost } from './call-index';
import { cliStart } from './cli-start';
import { coldStart } from './cold';
import { report } from './common';
import { largeCopy } from './copy';
import { dispatchCost } from './dispatch';
import { indexArchiveCost } from './index-archive';
import { lookupOverhead } from './lookup';
import { manyCalls } from './many';
import { memory } from './memory';
import { reconcileCost } from './reconcile';

export interface Benchmark {
  /** `npm run bench -- <name>` runs this one alone. */
  readonly name: string;
  readonly run: () => Promise<void>;
  /**
   * Runs in a child with `--openssl-legacy-provider`: s3rver signs its ListObjectsV2
   * continuation tokens with DES, which Node's OpenSSL 3 refuses otherwise, and listings
   * past 1,000 keys are what these measure. Only their child gets it, so no other figure
   * is touched.
   */
  readonly legacyOpenssl?: boolean;
}

/** Every benchmark, in the order `npm run bench` runs them and BENCHMARKS.md numbers them. */
export const benchmarks: readonly Benchmark[] = [
  { name: 'copy', run: () => largeCopy(7) },
  { name: 'many', run: () => manyCalls(2000, 80) },
  { name: 'memory', run: memory },
  { name: 'cold', run: () => coldStart(15) },
  // One at a time: the handler's own cost. 50 at once: the same, plus queueing on the one
  // event loop the emulator, the client and the handler share here.
  {
    name: 'lookup',
    run: () =>
      lookupOverhead([
        [500, 1],
        [1000, 50],
      ]),
  },
  { name: 'dispatch', run: () => dispatchCost(20, 5) },
  { name: 'cli', run: async () => cliStart(7, report) },
  { name: 'reconcile', run: () => reconcileCost([1000, 10_000]), legacyOpenssl: true },
  { name: 'browse', run: () => browseSearch(100_000, 5000), legacyOpenssl: true },
  { name: 'index', run: () => callIndexCost(100_000, 30) },
  { name: 'index-cost', run: () => indexArchiveCost(100_000, 2000, 80) },
];
