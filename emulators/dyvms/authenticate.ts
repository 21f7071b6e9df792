import type { EmulatorRequest } from './request';
import { checkAcs3, checkRpcV1, type SignatureCheck } from './signature';

const SUPPORTED_ACTIONS = new Set([
  'QueryRobotTaskCallDetail',
  'QueryRobotTaskCallList',
  'QueryRobotTaskList',
]);

/** What Dyvmsapi answers a request it refuses before its action runs. */
export interface Refusal {
  status: number;
  payload: Record<string, unknown>;
}

/** What authentication is checked against: the keys, the clock's allowed skew, the nonces seen. */
export interface Authenticator {
  /** AccessKeyId → AccessKeySecret. */
  credentials: Record<string, string>;
  maxClockSkewMs: number;
  /** Every SignatureNonce seen so far; a request's is added once it is accepted. */
  nonces: Set<string>;
}

const refusal = (status: number, code: string, message: string): Refusal => ({
  status,
  payload: { Code: code, Message: message },
});

/**
 * The signature (either scheme), its timestamp within the allowed skew, a nonce never seen
 * before, and an action this emulator speaks: the refusal Dyvmsapi would answer, if any.
 */
export function authenticate(
  request: EmulatorRequest,
  { credentials, maxClockSkewMs, nonces }: Authenticator,
): Refusal | undefined {
  const { method, path, query, headers, body, params } = request;
  const secretOf = (id: string) => credentials[id];
  const check: SignatureCheck =
    request.scheme === 'ACS3-HMAC-SHA256'
      ? checkAcs3({ method, path, query, headers, body }, secretOf)
      : checkRpcV1(method, params, secretOf);
  if (!check.ok) return refusal(check.status, check.code, check.message);
  const skew = Math.abs(Date.parse(check.timestamp) - Date.now());
  if (!(skew <= maxClockSkewMs))
    return refusal(
      400,
      'InvalidTimeStamp.Expired',
      'Specified time stamp or date value is expired.',
    );
  if (nonces.has(check.nonce))
    return refusal(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
  nonces.add(check.nonce);
  if (!SUPPORTED_ACTIONS.has(request.action))
    return refusal(404, 'InvalidAction.NotFound', `Specified api is not found: ${request.action}`);
  return undefined;
}
