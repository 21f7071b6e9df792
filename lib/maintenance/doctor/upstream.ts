import { DyvmsError } from '../../dyvms/dyvms-error';
import type { UpstreamPing } from '../../dyvms/ping';
import { reasonOf } from '../../errors';
import { type CheckResult, fail, ok, skip } from './check-result';

/** The upstream refuses a signature whose timestamp is 15 minutes off; a third of that fails here. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** The upstream's answer to one signed call: the AccessKey (or role) and the endpoint work. */
export function checkCredentials(ping: UpstreamPing): CheckResult {
  const check = 'credentials';
  if (ping.error === undefined)
    return ok(
      check,
      `Dyvmsapi at ${ping.host} answered QueryRobotTaskList${ping.requestId ? ` (request ${ping.requestId})` : ''}`,
    );
  const error = ping.error;
  const detail = `Dyvmsapi at ${ping.host}: ${reasonOf(error)}`;
  return fail(check, detail, credentialsFix(error, ping.host));
}

function credentialsFix(error: unknown, host: string): string {
  if (!(error instanceof DyvmsError))
    return 'see the error above; DYVMS_ENDPOINT and the credentials are what it used';
  const code = error.upstreamCode;
  if (/^InvalidAccessKeyId/.test(code))
    return 'ALIBABA_CLOUD_ACCESS_KEY_ID is not an active AccessKey of the account: set one from the RAM console (AccessKey management)';
  if (code === 'SignatureDoesNotMatch' || code === 'IncompleteSignature')
    return 'ALIBABA_CLOUD_ACCESS_KEY_SECRET is not the secret of ALIBABA_CLOUD_ACCESS_KEY_ID: set the pair as the RAM console issued it';
  if (/^InvalidTimeStamp/.test(code))
    return "this machine's clock is off: sync it (NTP), then run doctor again";
  if (/^(Forbidden|NoPermission)/.test(code))
    return 'the key may not call Dyvmsapi: grant its RAM user dyvms:QueryRobotTaskList, QueryRobotTaskCallList and QueryRobotTaskCallDetail (ram/archive.json)';
  if (error.kind === 'network' || error.kind === 'timeout')
    return `${host} did not answer from here: check DYVMS_ENDPOINT, DNS and any proxy`;
  if (error.kind === 'throttled')
    return 'the account is throttled right now: run doctor again in a minute; lower DYVMS_MAX_RPS if it lasts';
  return `the upstream refused the call (${code}): see its message above`;
}

/**
 * This machine's clock against the upstream's `Date` (whole seconds) at the middle of the
 * call: signatures, the recording URLs' `Expires` and the index's lag all read the clock.
 */
export function checkClock(
  ping: UpstreamPing,
  maxSkewSeconds = MAX_CLOCK_SKEW_SECONDS,
): CheckResult {
  const check = 'clock';
  const upstreamMs = ping.date === undefined ? Number.NaN : Date.parse(ping.date);
  if (!Number.isFinite(upstreamMs))
    return skip(check, 'Dyvmsapi gave no Date header to compare with (see credentials)');
  const localMs = (ping.sentAtMs + ping.answeredAtMs) / 2;
  // Date has whole seconds: the upstream's instant was somewhere in that second, its middle on average.
  const skewSeconds = Math.round((localMs - (upstreamMs + 500)) / 1000);
  const roundTrip = ping.answeredAtMs - ping.sentAtMs;
  const detail = `${Math.abs(skewSeconds)} s ${skewSeconds >= 0 ? 'ahead of' : 'behind'} Dyvmsapi's Date (±${Math.ceil(roundTrip / 1000) + 1} s)`;
  if (Math.abs(skewSeconds) <= maxSkewSeconds) return ok(check, detail);
  return fail(
    check,
    `${detail}, more than ${maxSkewSeconds} s`,
    'sync the clock with NTP (timedatectl set-ntp true, or chronyc makestep): the upstream refuses signatures 15 minutes off',
  );
}
