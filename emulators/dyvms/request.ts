import type { IncomingMessage } from 'node:http';

export function parseQuery(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
    out[key] = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1));
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** What one request asked, read once: both signature schemes look at parts of it. */
export interface EmulatorRequest {
  /** When it arrived, as a rate limit upstream would count it. */
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  /** The query and a form body together, as the RPC scheme signs them. */
  params: Record<string, string>;
  headers: Record<string, string>;
  body: Buffer;
  scheme: 'ACS3-HMAC-SHA256' | 'HMAC-SHA1';
  action: string;
}

export async function readRequest(req: IncomingMessage): Promise<EmulatorRequest> {
  const at = Date.now();
  const [path = '/', rawQuery = ''] = (req.url ?? '/').split('?', 2);
  const query = parseQuery(rawQuery);
  const body = await readBody(req);
  const form = req.headers['content-type']?.includes('application/x-www-form-urlencoded')
    ? parseQuery(body.toString('utf8'))
    : {};
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(',') : (value ?? ''),
    ]),
  );
  const isAcs3 = headers.authorization?.startsWith('ACS3-') ?? false;
  const params = { ...query, ...form };
  return {
    at,
    method: req.method ?? 'GET',
    path,
    query,
    params,
    headers,
    body,
    scheme: isAcs3 ? 'ACS3-HMAC-SHA256' : 'HMAC-SHA1',
    action: isAcs3 ? (headers['x-acs-action'] ?? '') : (params.Action ?? ''),
  };
}
