/** A function's JSON log line as one short line for a person, or undefined to leave it out. */
export function humanLine(line: string): string | undefined {
  const start = line.indexOf('{"level"');
  if (start < 0) return undefined;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line.slice(start)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const dir = String(entry.detailKey ?? '').replace(/\/detail\.json$/, '');
  switch (entry.message) {
    case 'push received':
      // The sandbox's own warm-up is an empty push: not news.
      if (entry.records === 0) return undefined;
      return `• push: ${entry.records} records, ${entry.accepted} accepted, ${entry.rejected} rejected`;
    case 'archived':
      return `• archived ${dir} ${Math.round(Number(entry.bytes) / 1024)} KB in ${Number(entry.seconds).toFixed(1)} s`;
    case 'archived without recording':
      return `• archived ${dir} (no recording)`;
    case 'job parked':
      return `! parked ${entry.key}: ${entry.reason}`;
    default:
      return entry.level === 'warn' || entry.level === 'error'
        ? `! ${entry.message}${entry.error ? `: ${entry.error}` : ''}`
        : undefined;
  }
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
