import type { ServerResponse } from 'node:http';
import type { Answer, Fault, ObservedRequest } from './model';
import type { EmulatorRequest } from './request';

/** What serving a fault touches besides the answer: the request log and the stalled answers. */
export interface FaultContext {
  requests: ObservedRequest[];
  /** Answers held by a stall, destroyed when the emulator stops. */
  stalled: Set<ServerResponse>;
}

/** One injected fault, served: true when it answered (a stall then lets the request go on). */
export async function serveFault(
  fault: Fault,
  request: EmulatorRequest,
  res: ServerResponse,
  answer: Answer,
  context: FaultContext,
): Promise<boolean> {
  switch (fault.kind) {
    case 'throttle':
      answer(400, {
        Code: 'Throttling.User',
        Message: 'Request was denied due to user flow control.',
      });
      return true;
    case 'business-limit':
      answer(200, { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发流控' });
      return true;
    case 'server-error':
      answer(503, {
        Code: 'ServiceUnavailable',
        Message: 'The request has failed due to a temporary failure of the server.',
      });
      return true;
    case 'html': {
      const { at, action, scheme } = request;
      context.requests.push({ at, action, scheme, status: 502, code: 'html' });
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>');
      return true;
    }
    case 'stall':
      return stall(fault.ms, res, context.stalled);
    case 'not-ready':
      answer(200, { Code: 'OK', Message: 'OK' });
      return true;
    case 'code':
      answer(fault.status ?? 200, { Code: fault.code, Message: fault.message });
      return true;
  }
}

/** Holds the answer `ms` (or until the client gives up): true when the client went away. */
async function stall(ms: number, res: ServerResponse, stalled: Set<ServerResponse>) {
  stalled.add(res);
  await new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
    res.once('close', resolve);
  });
  stalled.delete(res);
  return res.destroyed;
}
