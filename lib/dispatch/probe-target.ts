import type { DispatchTarget, StaticCredentials } from '../config';
import { ConfigError } from '../errors';

/**
 * Whether DISPATCH's target exists and may be sent to, without sending a job
 * (`vms-call-archive doctor`): SQS GetQueueAttributes, a Lambda `DryRun` invocation (which
 * checks the function and the right to invoke it), FC's GetFunction. Resolves with what it
 * found; throws the platform's own error (its `name` says what failed).
 */
export async function probeDispatchTarget(
  target: DispatchTarget,
  options: { alibabaCredentials?: StaticCredentials } = {},
): Promise<string> {
  switch (target.kind) {
    case 'local':
      return 'local: jobs are archived in the process that takes them (the sandbox)';
    // Each SDK is loaded only in the bundles of its platform, as openDispatcher loads them.
    case 'sqs':
      if (typeof __VMS_PLATFORM__ === 'undefined' || __VMS_PLATFORM__ === 'aws')
        return probeQueue(target.queueUrl, require('@aws-sdk/client-sqs'));
      throw notInThisBundle('sqs:');
    case 'lambda':
      if (typeof __VMS_PLATFORM__ === 'undefined' || __VMS_PLATFORM__ === 'aws')
        return probeLambda(target.functionName, require('@aws-sdk/client-lambda'));
      throw notInThisBundle('lambda:');
    case 'fc':
      if (typeof __VMS_PLATFORM__ === 'undefined' || __VMS_PLATFORM__ === 'fc')
        return probeFc(target, options.alibabaCredentials, {
          fc2: require('@alicloud/fc2/lib/client'),
          credentials: require('@alicloud/credentials'),
          openApi: require('@alicloud/openapi-client'),
          util: require('@alicloud/tea-util'),
        });
      throw notInThisBundle('fc:');
  }
}

const notInThisBundle = (kind: string) =>
  new ConfigError(
    `Invalid configuration: DISPATCH=${kind}… is for the other platform; this bundle was built for ${String(__VMS_PLATFORM__)}`,
  );

async function probeQueue(
  queueUrl: string,
  { GetQueueAttributesCommand, SQSClient }: typeof import('@aws-sdk/client-sqs'),
): Promise<string> {
  const client = new SQSClient({});
  try {
    const { Attributes: attributes = {} } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages'],
      }),
    );
    return `queue ${attributes.QueueArn ?? queueUrl} exists, ${attributes.ApproximateNumberOfMessages ?? '?'} jobs waiting`;
  } finally {
    client.destroy();
  }
}

async function probeLambda(
  functionName: string,
  { InvokeCommand, LambdaClient }: typeof import('@aws-sdk/client-lambda'),
): Promise<string> {
  const client = new LambdaClient({});
  try {
    // DryRun: Lambda checks the function and the caller's lambda:InvokeFunction, runs nothing.
    const result = await client.send(
      new InvokeCommand({ FunctionName: functionName, InvocationType: 'DryRun' }),
    );
    return `function ${functionName} may be invoked (DryRun answered ${result.StatusCode})`;
  } finally {
    client.destroy();
  }
}

/** Function Compute's SDKs, loaded by the caller in the FC branch only. */
interface FcSdk {
  fc2: typeof import('@alicloud/fc2/lib/client');
  credentials: typeof import('@alicloud/credentials');
  openApi: typeof import('@alicloud/openapi-client');
  util: typeof import('@alicloud/tea-util');
}

type FcTarget = Extract<DispatchTarget, { kind: 'fc' }>;

/** Checks the FC target exists and may be read: FC 2.0 (a service) or FC 3.0. */
async function probeFc(
  target: FcTarget,
  credentials: StaticCredentials | undefined,
  sdk: FcSdk,
): Promise<string> {
  if (!target.accountId || !target.region || !credentials)
    throw new ConfigError(
      'Invalid configuration: DISPATCH=fc:… needs FC_ACCOUNT_ID, FC_REGION and ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET',
    );
  const endpoint = new URL(
    target.endpoint ?? `https://${target.accountId}.${target.region}.fc.aliyuncs.com`,
  );
  if (target.service !== undefined)
    return probeFc2(
      target,
      target.service,
      { accountId: target.accountId, region: target.region, credentials },
      sdk.fc2,
    );
  return probeFc3(target, target.region, endpoint, credentials, sdk);
}

/** FC 2.0's GetFunction through fc2. */
async function probeFc2(
  target: FcTarget,
  service: string,
  where: { accountId: string; region: string; credentials: StaticCredentials },
  fc2: FcSdk['fc2'],
): Promise<string> {
  const { credentials } = where;
  const client = new fc2.default(where.accountId, {
    accessKeyID: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    securityToken: credentials.securityToken,
    region: where.region,
    endpoint: target.endpoint,
    secure: true,
    timeout: 10_000,
  });
  await client.getFunction(service, target.functionName);
  return `function ${service}/${target.functionName} exists (FC 2.0)`;
}

/** FC 3.0's GetFunction (ROA, `/2023-03-30/functions/{name}`) through openapi-client. */
async function probeFc3(
  target: FcTarget,
  region: string,
  endpoint: URL,
  credentials: StaticCredentials,
  sdk: FcSdk,
): Promise<string> {
  const { default: Credential, Config: CredentialConfig } = sdk.credentials;
  const OpenApiModule = sdk.openApi;
  const Util = sdk.util;
  const api = new OpenApiModule.default(
    new OpenApiModule.Config({
      credential: new Credential(
        new CredentialConfig({
          type: credentials.securityToken ? 'sts' : 'access_key',
          accessKeyId: credentials.accessKeyId,
          accessKeySecret: credentials.accessKeySecret,
          securityToken: credentials.securityToken,
        }),
      ),
      endpoint: endpoint.host,
      protocol: endpoint.protocol.replace(':', ''),
      regionId: region,
    }),
  );
  await api.callApi(
    new OpenApiModule.Params({
      action: 'GetFunction',
      version: '2023-03-30',
      protocol: endpoint.protocol.replace(':', '').toUpperCase(),
      pathname: `/2023-03-30/functions/${encodeURIComponent(target.functionName)}`,
      method: 'GET',
      authType: 'AK',
      style: 'ROA',
      reqBodyType: 'json',
      bodyType: 'json',
    }),
    new OpenApiModule.OpenApiRequest({}),
    new Util.RuntimeOptions({ autoretry: false, connectTimeout: 3_000, readTimeout: 10_000 }),
  );
  return `function ${target.functionName} exists (FC 3.0)`;
}
