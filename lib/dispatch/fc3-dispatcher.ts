import { createHash } from 'node:crypto';
import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import OpenApi, * as $OpenApi from '@alicloud/openapi-client';
import * as $Util from '@alicloud/tea-util';
import { forEachLimited } from '../common/for-each-limited';
import type { StaticCredentials } from '../config';
import { log } from '../log';
import type { CallEndedJob } from '../model/call-ended-job';
import { DispatchError, type Dispatcher } from '../model/dispatcher';

const PARALLEL_INVOKES = 10;
const API_VERSION = '2023-03-30';

export interface Fc3Target {
  functionName: string;
  accountId: string;
  region: string;
  /** `https://<account>.<region>.fc.aliyuncs.com` unless given (FC_ENDPOINT, an emulator). */
  endpoint?: string;
  credentials: StaticCredentials;
}

/**
 * FC's async task id for a job: the same call dispatched twice within the same hour gets
 * the same id, and FC (with async task mode on, see s.yaml) refuses the second with 409,
 * so a push the Voice Service repeats cannot start a second job. The hour in it lets
 * reconcile dispatch a call again later, should the first job have failed. FC's rule: a
 * letter or `_` first, then `[A-Za-z0-9_-]`, at most 128 characters; so the call (task, day,
 * and call id, or the callee when the job names no call) is a SHA-256, never cut short:
 * cutting a 90+ character call id at 128 cut the hour off, and two calls (or two days of
 * one) shared an id, the second taken for a repeat and lost. No phone number in it.
 */
export function asyncTaskIdOf(job: CallEndedJob, nowMs: number): string {
  const hour = new Date(nowMs).toISOString().slice(0, 13).replace(/\D/g, '');
  const call = job.callId === undefined ? `callee ${job.callee}` : `call ${job.callId}`;
  const hash = createHash('sha256')
    .update(`${job.taskId}\n${job.date}\n${call}`)
    .digest('hex')
    .slice(0, 40);
  return `vca_${job.taskId}_${job.date.replaceAll('-', '')}_${hash}_${hour}`;
}

/** An InvokeFunction ready to send: the signed client, the action and its runtime options. */
interface Fc3Invoke {
  api: OpenApi;
  params: $OpenApi.Params;
  runtime: $Util.RuntimeOptions;
}

function fc3InvokeOf(target: Fc3Target): Fc3Invoke {
  const endpoint = new URL(
    target.endpoint ?? `https://${target.accountId}.${target.region}.fc.aliyuncs.com`,
  );
  const keys = target.credentials;
  const api = new OpenApi(
    new $OpenApi.Config({
      credential: new Credential(
        new CredentialConfig({
          type: keys.securityToken ? 'sts' : 'access_key',
          accessKeyId: keys.accessKeyId,
          accessKeySecret: keys.accessKeySecret,
          securityToken: keys.securityToken,
        }),
      ),
      endpoint: endpoint.host,
      protocol: endpoint.protocol.replace(':', ''),
      regionId: target.region,
    }),
  );
  const params = new $OpenApi.Params({
    action: 'InvokeFunction',
    version: API_VERSION,
    protocol: endpoint.protocol.replace(':', '').toUpperCase(),
    pathname: `/${API_VERSION}/functions/${encodeURIComponent(target.functionName)}/invocations`,
    method: 'POST',
    authType: 'AK',
    style: 'ROA',
    reqBodyType: 'byte',
    bodyType: 'none',
  });
  const runtime = new $Util.RuntimeOptions({
    autoretry: false,
    connectTimeout: 3_000,
    readTimeout: 10_000,
  });
  return { api, params, runtime };
}

/** One job invoked asynchronously under its task id; a 409 (FC has it already) is success. */
async function invokeAsync(
  invoke: Fc3Invoke,
  functionName: string,
  job: CallEndedJob,
  taskId: string,
): Promise<void> {
  try {
    await invoke.api.callApi(
      invoke.params,
      new $OpenApi.OpenApiRequest({
        headers: { 'x-fc-invocation-type': 'Async', 'x-fc-async-task-id': taskId },
        body: Buffer.from(JSON.stringify(job)),
      }),
      invoke.runtime,
    );
  } catch (error: unknown) {
    const status = (error as { data?: { statusCode?: number } }).data?.statusCode;
    // 409: FC has this task already (a repeated push): it is dispatched, not lost.
    if (status === 409) {
      log('info', 'job already dispatched to FC', { taskId });
      return;
    }
    throw new DispatchError(
      `cannot invoke ${functionName}: ${error instanceof Error ? error.message : String(error)}`,
      error,
      [job.callee],
    );
  }
}

/**
 * `fc:<function>`: Function Compute 3.0's InvokeFunction
 * (`POST /2023-03-30/functions/{name}/invocations`, `x-fc-invocation-type: Async`), signed
 * like any Alibaba Cloud ROA call (ACS3-HMAC-SHA256) by openapi-client. FC 3.0 has no
 * services; `fc:<service>/<function>` stays on FC 2.0 through fc2.
 */
export function fc3Dispatcher(target: Fc3Target, now: () => number = Date.now): Dispatcher {
  const invoke = fc3InvokeOf(target);
  return {
    describe: `fc:${target.functionName}`,
    async dispatch(jobs) {
      await forEachLimited(jobs, PARALLEL_INVOKES, async (job) => {
        await invokeAsync(invoke, target.functionName, job, asyncTaskIdOf(job, now()));
      });
    },
  };
}
