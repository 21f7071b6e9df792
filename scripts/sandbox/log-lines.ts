import { forPeople, recordOf } from '../../lib/platform/log-for-people';

/** A function's JSON log line as one short line for a person, or undefined to leave it out. */
export function humanLine(line: string): string | undefined {
  const record = recordOf(line);
  return record && forPeople(record);
}

/**
 * What a person wants to see of a child's output: one short line per push and per archived
 * call, warnings and errors; the functions' JSON and serverless offline's own lines with
 * SANDBOX_VERBOSE=1.
 */
export function renderForPeople(stream: NodeJS.ReadableStream | null, verbose: boolean): void {
  let partial = '';
  stream?.on('data', (chunk: Buffer) => {
    if (verbose) {
      process.stdout.write(chunk);
      return;
    }
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const human = humanLine(line);
      if (human) console.log(human);
    }
  });
}
