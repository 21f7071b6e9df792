/**
 * The recording host in a process of its own (the bench: so generating its bytes does not
 * share the client's event loop). Arguments: a JSON object of name → {size, seed}, and the
 * signing secret. Prints `{"url": …}` once listening; stops with its parent's stdin.
 */
import { RecordingHost } from './server';

const [recordings = '{}', secret = 'recording-host-secret'] = process.argv.slice(2);
const host = new RecordingHost(secret);
for (const [name, recording] of Object.entries(
  JSON.parse(recordings) as Record<string, { size: number; seed: number }>,
))
  host.addRecording(name, recording);
void host.start().then((url) => {
  process.stdout.write(`${JSON.stringify({ url })}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
