import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parquetMetadata } from 'hyparquet';
import { encodePart } from '../../lib/call-index/parquet';
import { METRICS, METRICS_NAMESPACE } from '../../lib/metrics';
import { indexRow } from '../support/index-rows';

const root = join(__dirname, '..', '..');
const run = promisify(execFile);

jest.setTimeout(180_000);

interface Resource {
  Type: string;
  Condition?: string;
  Properties: Record<string, unknown> & {
    Policies?: { PolicyDocument: { Statement: Statement[] } }[];
  };
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

let template: { Resources: Record<string, Resource>; Conditions: Record<string, unknown> };
let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'vms-package-'));
  // No credentials and no network: packaging must need neither.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_PROFILE: '',
  };
  for (const name of [
    'API_KEYS',
    'REPORTS_TOKEN',
    'ALIBABA_CLOUD_ACCESS_KEY_ID',
    'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    'ARCHIVE_URL',
    'DISPATCH',
    'SECRETS_SSM_PATH',
  ]) {
    delete env[name];
  }
  await run(
    join(root, 'node_modules', '.bin', 'serverless'),
    ['package', '--package', out, '--stage', 'prod'],
    { cwd: root, env },
  );
  template = JSON.parse(
    readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8'),
  );
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

const ofType = (type: string) =>
  Object.entries(template.Resources).filter(([, r]) => r.Type === type);

/** The value of a string built with Fn::Join and Fn::Split, as CloudFormation computes it. */
function intrinsicString(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as { 'Fn::Join'?: [string, unknown]; 'Fn::Split'?: [string, unknown] };
  const join = node['Fn::Join'];
  if (join) {
    const [separator, parts] = join;
    const list = Array.isArray(parts) ? parts.map(intrinsicString) : intrinsicList(parts);
    return list.join(separator);
  }
  throw new Error(`not a string this test can compute: ${JSON.stringify(value)}`);
}
function intrinsicList(value: unknown): string[] {
  const split = (value as { 'Fn::Split'?: [string, unknown] })['Fn::Split'];
  if (!split) throw new Error(`not a list this test can compute: ${JSON.stringify(value)}`);
  return intrinsicString(split[1]).split(split[0]);
}
const glueDatabaseName = (resources: Record<string, Resource>) =>
  intrinsicString(
    (resources.IndexDatabase?.Properties.DatabaseInput as { Name?: unknown } | undefined)?.Name,
  );
const fn = (name: string) => template.Resources[`${name}LambdaFunction`]?.Properties ?? {};
const statements = (role: string) =>
  (template.Resources[role]?.Properties.Policies ?? []).flatMap(
    (policy) => policy.PolicyDocument.Statement,
  );
const mappingOf = (functionResource: string) =>
  ofType('AWS::Lambda::EventSourceMapping').find(([, r]) =>
    JSON.stringify(r.Properties.FunctionName).includes(functionResource),
  )?.[1];
const actions = (role: string) =>
  statements(role)
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
    .sort();

const SECRETS = [
  'API_KEYS',
  'REPORTS_TOKEN',
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'BROWSE_SESSION_SECRET',
  'AUDIT_HASH_SECRET',
];
const roleOf = (name: string) => {
  const role = fn(name).Role as { 'Fn::GetAtt'?: [string, string] } | undefined;
  return role?.['Fn::GetAtt']?.[0] ?? '';
};
/** The names in a function's SECRETS_SSM_NAMES, sorted. */
const secretsNamed = (name: string) => {
  const variables = (fn(name).Environment as { Variables: Record<string, unknown> } | undefined)
    ?.Variables;
  const names = variables?.SECRETS_SSM_NAMES;
  return typeof names === 'string' ? names.split(',').sort() : [];
};
/** The parameters a role's ssm statements grant, by variable name (anything else: as is). */
const secretsGranted = (role: string) =>
  statements(role)
    .filter((s) => JSON.stringify(s.Action).includes('ssm:'))
    .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]))
    .map((resource) => {
      const arn = JSON.stringify(resource);
      const name = /:parameter\/vms-call-archive\/prod\/([A-Z0-9_]+)"/.exec(arn)?.[1];
      return name ?? arn;
    })
    .sort();

describe('npx serverless package (CloudFormation)', () => {
  it('packages one bundle per function', () => {
    for (const name of [
      'lookup',
      'reports',
      'archive',
      'reconcile',
      'browse',
      'indexCompact',
      'retention',
    ])
      expect(existsSync(join(out, `${name}.zip`))).toBe(true);
  });

  it('packages the archive browser with its page', async () => {
    const { stdout } = await run('unzip', ['-l', join(out, 'browse.zip')]);

    for (const file of ['web/dist/index.html', 'web/dist/app.js', 'web/dist/app.css'])
      expect(stdout).toContain(file);
  });

  it('lets browse read the archive and write only its access rows and exports', () => {
    expect(fn('Browse').Role).toEqual({ 'Fn::GetAtt': ['BrowseRole', 'Arn'] });
    expect(actions('BrowseRole')).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:DeleteObject',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
      's3:PutObject',
      'ssm:GetParameters',
    ]);
    const writes = statements('BrowseRole').filter((s) =>
      [s.Action].flat().some((a) => a === 's3:PutObject' || a === 's3:DeleteObject'),
    );
    expect(writes.map((s) => JSON.stringify(s.Resource))).toEqual([
      expect.stringMatching(/\/_audit\/access\/\*"$/),
      expect.stringMatching(/\/_exports\/\*"$/),
    ]);
  });

  it('routes the lookup, the push receiver and the archive browser on an HTTP API', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
    expect(routes.sort()).toEqual([
      'GET /',
      'GET /app',
      'GET /app/{asset}',
      'GET /archive/{proxy+}',
      'GET /calls/{taskId}/{callee}',
      'POST /app/session',
      'POST /app/session/end',
      'POST /reports/{token}',
    ]);
  });

  it('runs nodejs22.x on arm64 with timeouts sized per function', () => {
    expect(fn('Lookup')).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: 29,
    });
    expect(fn('Reports')).toMatchObject({ Timeout: 10 });
    expect(fn('Archive')).toMatchObject({ Timeout: 300, MemorySize: 512 });
  });

  it('dispatches pushes to the jobs queue by default, whose URL the stack fills in', () => {
    const variables = (fn('Reports').Environment as { Variables: Record<string, unknown> })
      .Variables;
    expect(variables.DISPATCH).toEqual({ 'Fn::Join': ['', ['sqs:', { Ref: 'JobsQueue' }]] });
    const [, mapping] = ofType('AWS::Lambda::EventSourceMapping')[0] ?? [];
    expect(mapping?.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['JobsQueue', 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('keeps secrets out of the stack: functions read them from SSM', () => {
    for (const [, resource] of ofType('AWS::Lambda::Function')) {
      const variables =
        (resource.Properties.Environment as { Variables: Record<string, unknown> } | undefined)
          ?.Variables ?? {};
      for (const secret of SECRETS) expect(variables[secret]).toBeUndefined();
      expect(variables.SECRETS_SSM_PATH).toBe('/vms-call-archive/prod/');
    }
  });

  // docs/design.md "Least privilege": each function reads only the secrets it uses.
  const EXPECTED_SECRETS: Record<string, string[]> = {
    Lookup: ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'API_KEYS'],
    Reports: ['REPORTS_TOKEN'],
    Archive: [
      'ALIBABA_CLOUD_ACCESS_KEY_ID',
      'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
      'AUDIT_HASH_SECRET',
    ],
    Browse: ['API_KEYS', 'BROWSE_SESSION_SECRET'],
    Reconcile: [
      'ALIBABA_CLOUD_ACCESS_KEY_ID',
      'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
      'AUDIT_HASH_SECRET',
    ],
    Park: [],
    Retention: ['AUDIT_HASH_SECRET'],
  };

  it.each(Object.entries(EXPECTED_SECRETS))(
    'lets %s read exactly its own secrets: its SECRETS_SSM_NAMES, and its role may get those parameters and no others',
    (name, expected) => {
      expect(secretsNamed(name)).toEqual(expected);
      expect(secretsGranted(roleOf(name))).toEqual(expected);
    },
  );

  it('gives browse no Alibaba Cloud key and lookup no session secret or push token', () => {
    expect(secretsGranted('BrowseRole')).not.toContain('ALIBABA_CLOUD_ACCESS_KEY_SECRET');
    expect(secretsGranted('BrowseRole')).not.toContain('ALIBABA_CLOUD_ACCESS_KEY_ID');
    expect(secretsGranted('LookupRole')).not.toContain('BROWSE_SESSION_SECRET');
    expect(secretsGranted('LookupRole')).not.toContain('REPORTS_TOKEN');
  });

  it('gives every function, those added later too, a role of its own whose secret grants match its SECRETS_SSM_NAMES, by exact name', () => {
    const functions = ofType('AWS::Lambda::Function').map(([id]) =>
      id.replace(/LambdaFunction$/, ''),
    );
    const roles = functions.map(roleOf);

    expect(new Set(roles).size).toBe(functions.length);
    for (const name of functions) expect(secretsGranted(roleOf(name))).toEqual(secretsNamed(name));
    const ssmActions = Object.keys(template.Resources)
      .flatMap((id) => statements(id))
      .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
      .filter((action) => action.startsWith('ssm:'));
    expect(new Set(ssmActions)).toEqual(new Set(['ssm:GetParameters']));
  });

  it('invokes archive asynchronously with two retries and the DLQ as on-failure destination', () => {
    const [, config] = ofType('AWS::Lambda::EventInvokeConfig')[0] ?? [];
    expect(config?.Properties).toMatchObject({
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': ['ArchiveDeadLetterQueue', 'Arn'] } },
      },
    });
    expect(template.Resources.ArchiveDeadLetterQueue?.Properties).toMatchObject({
      MessageRetentionPeriod: 1209600,
    });
  });

  it('feeds archive from the jobs queue with partial batch failures, bounded concurrency and a redrive to the DLQ', () => {
    const mapping = mappingOf('ArchiveLambdaFunction');
    expect(mapping?.Properties).toMatchObject({
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    expect(template.Resources.JobsQueue?.Properties).toMatchObject({
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': ['ArchiveDeadLetterQueue', 'Arn'] },
        maxReceiveCount: 3,
      },
    });
  });

  it('creates an archive bucket with public access blocked, encryption, versioning, lifecycle and TLS only', () => {
    const bucket = template.Resources.ArchiveBucket;
    expect(bucket?.Condition).toBe('CreateBucket');
    expect(bucket?.Properties).toMatchObject({
      BucketName: 'vms-call-archive-prod-ap-southeast-1-archive',
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: expect.arrayContaining([
          expect.objectContaining({
            Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
          }),
        ]),
      },
    });
    const policy = template.Resources.ArchiveBucketPolicy?.Properties.PolicyDocument as {
      Statement: Statement[];
    };
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    ]);
  });

  it('gives lookup nothing but its logs and its secrets', () => {
    expect(fn('Lookup').Role).toEqual({ 'Fn::GetAtt': ['LookupRole', 'Arn'] });
    expect(actions('LookupRole')).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'ssm:GetParameters',
    ]);
  });

  it('lets reports only invoke archive, send to the jobs queue and park records under _rejected/', () => {
    expect(actions('ReportsRole')).toEqual([
      'lambda:InvokeFunction',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:PutObject',
      'sqs:SendMessage',
      'ssm:GetParameters',
    ]);
    const s3 = statements('ReportsRole').find((s) => s.Action === 's3:PutObject');
    expect(s3?.Resource).toBe(
      'arn:aws:s3:::vms-call-archive-prod-ap-southeast-1-archive/calls/_rejected/*',
    );
    const invoke = statements('ReportsRole').find((s) => s.Action === 'lambda:InvokeFunction');
    expect(JSON.stringify(invoke?.Resource)).toContain('function:vms-call-archive-prod-archive');
  });

  it('lets archive read and write under the archive prefix only', () => {
    const s3 = statements('ArchiveRole').filter((s) => JSON.stringify(s.Action).includes('s3:'));
    expect(s3).toEqual([
      expect.objectContaining({
        Action: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
        Resource: 'arn:aws:s3:::vms-call-archive-prod-ap-southeast-1-archive/calls/*',
      }),
      expect.objectContaining({
        Action: 's3:ListBucket',
        Condition: { StringLike: { 's3:prefix': 'calls/*' } },
      }),
      // A call's own objects only: an earlier recording (its extension changed), or what an
      // archive that raced an erasure wrote, every version of it.
      expect.objectContaining({
        Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        Resource: [
          'arn:aws:s3:::vms-call-archive-prod-ap-southeast-1-archive/calls/*/recording.*',
          'arn:aws:s3:::vms-call-archive-prod-ap-southeast-1-archive/calls/*/detail.json',
        ],
      }),
      expect.objectContaining({
        Action: 's3:ListBucketVersions',
        Condition: { StringLike: { 's3:prefix': 'calls/*' } },
      }),
      // The note of a queued job's failed delivery, for park's reason: written, then deleted.
      expect.objectContaining({
        Action: ['s3:PutObject', 's3:DeleteObject'],
        Resource: 'arn:aws:s3:::vms-call-archive-prod-ap-southeast-1-archive/calls/_attempts/*',
      }),
    ]);
    expect(actions('ArchiveRole').some((a) => a.endsWith('*'))).toBe(false);
  });

  it('runs reconcile hourly from an EventBridge schedule, for up to 15 minutes', () => {
    const rules = ofType('AWS::Events::Rule').map(([, r]) => r.Properties);
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ScheduleExpression: 'rate(1 hour)', State: 'ENABLED' }),
      ]),
    );
    expect(fn('Reconcile')).toMatchObject({ Timeout: 900 });
    const variables = (fn('Reconcile').Environment as { Variables: Record<string, string> })
      .Variables;
    expect(variables.DISPATCH).toEqual({ 'Fn::Join': ['', ['sqs:', { Ref: 'JobsQueue' }]] });
  });

  it('lets reconcile list and read the archive, write only _reconcile/, and dispatch', () => {
    expect(fn('Reconcile').Role).toEqual({ 'Fn::GetAtt': ['ReconcileRole', 'Arn'] });
    expect(actions('ReconcileRole')).toEqual([
      'lambda:InvokeFunction',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:DeleteObject',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
      'sqs:SendMessage',
      'ssm:GetParameters',
    ]);
    const writes = statements('ReconcileRole').find((s) =>
      JSON.stringify(s.Action).includes('s3:PutObject'),
    );
    expect(writes?.Resource).toBe(
      'arn:aws:s3:::vms-call-archive-prod-ap-southeast-1-archive/calls/_reconcile/*',
    );
  });

  it('compacts the call index every 5 minutes, one run at a time, touching only index/', () => {
    const rules = ofType('AWS::Events::Rule').map(([, r]) => r.Properties);
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED' }),
      ]),
    );
    expect(fn('IndexCompact')).toMatchObject({ ReservedConcurrentExecutions: 1, Timeout: 300 });
    expect(actions('IndexCompactRole')).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:DeleteObject',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
    const objects = statements('IndexCompactRole').find((s) =>
      JSON.stringify(s.Action).includes('s3:PutObject'),
    );
    expect(objects?.Resource).toBe(
      'arn:aws:s3:::vms-call-archive-prod-ap-southeast-1-archive/calls/index/*',
    );
  });
});

describe('letting data go: the retention sweep', () => {
  it('sweeps daily, one run at a time, with RETENTION_DAYS from the stack (empty: keep forever)', () => {
    const rules = ofType('AWS::Events::Rule').map(([, r]) => r.Properties);
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ScheduleExpression: 'cron(30 18 * * ? *)', State: 'ENABLED' }),
      ]),
    );
    expect(fn('Retention')).toMatchObject({ ReservedConcurrentExecutions: 1, Timeout: 900 });
    const variables = (fn('Archive').Environment as { Variables: Record<string, unknown> })
      .Variables;
    expect(variables.RETENTION_DAYS).toBe('');
  });

  it('lets the sweep read and erase under the archive prefix, every version, and nothing else', () => {
    expect(fn('Retention').Role).toEqual({ 'Fn::GetAtt': ['RetentionRole', 'Arn'] });
    expect(actions('RetentionRole')).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:DeleteObject',
      's3:DeleteObjectVersion',
      's3:GetObject',
      's3:ListBucket',
      's3:ListBucketVersions',
      's3:PutObject',
      'ssm:GetParameters',
    ]);
    const objects = statements('RetentionRole').find((s) =>
      JSON.stringify(s.Action).includes('s3:DeleteObjectVersion'),
    );
    expect(objects?.Resource).toBe(
      'arn:aws:s3:::vms-call-archive-prod-ap-southeast-1-archive/calls/*',
    );
  });

  it('expires noncurrent versions after noncurrentVersionDays', () => {
    const bucket = template.Resources.ArchiveBucket?.Properties as {
      LifecycleConfiguration: { Rules: { Id: string; NoncurrentVersionExpiration?: unknown }[] };
    };
    const rule = bucket.LifecycleConfiguration.Rules.find((r) => r.Id === 'expire-old-versions');
    expect(rule?.NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 90 });
  });
});

describe('operations: what the platform gives up on ends in _rejected/', () => {
  it('feeds the park function from the dead-letter queue, with partial batch failures', () => {
    expect(existsSync(join(out, 'park.zip'))).toBe(true);
    expect(mappingOf('ParkLambdaFunction')?.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['ArchiveDeadLetterQueue', 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it("lets park only read the dead-letter queue, write under _rejected/ and read and delete the archive's notes under _attempts/", () => {
    expect(fn('Park').Role).toEqual({ 'Fn::GetAtt': ['ParkRole', 'Arn'] });
    expect(actions('ParkRole')).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:DeleteObject',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:ReceiveMessage',
    ]);
    const s3 = statements('ParkRole').filter((s) => JSON.stringify(s.Action).includes('s3:'));
    expect(s3).toEqual([
      expect.objectContaining({
        Action: 's3:PutObject',
        Resource: 'arn:aws:s3:::vms-call-archive-prod-ap-southeast-1-archive/calls/_rejected/*',
      }),
      // A note is found by listing its own folder: without a list grant, S3 answers a GET of
      // a missing key 403, not 404.
      expect.objectContaining({
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::vms-call-archive-prod-ap-southeast-1-archive',
        Condition: { StringLike: { 's3:prefix': 'calls/_attempts/*' } },
      }),
      expect.objectContaining({
        Action: ['s3:GetObject', 's3:DeleteObject'],
        Resource: 'arn:aws:s3:::vms-call-archive-prod-ap-southeast-1-archive/calls/_attempts/*',
      }),
    ]);
  });
});

describe('operations: metrics and alarms', () => {
  interface Alarm {
    name: string;
    Namespace?: string;
    MetricName?: string;
    Dimensions?: unknown;
    Threshold?: number;
    AlarmActions?: unknown;
    TreatMissingData?: string;
  }
  const alarms = (): Alarm[] =>
    ofType('AWS::CloudWatch::Alarm').map(([name, r]) => ({ name, ...r.Properties }));

  it('sends every alarm to one SNS topic, which mails alarmEmail only when one is given', () => {
    expect(template.Resources.AlarmTopic?.Type).toBe('AWS::SNS::Topic');
    expect(template.Resources.AlarmEmailSubscription).toMatchObject({
      Condition: 'HasAlarmEmail',
      Properties: { Protocol: 'email', TopicArn: { Ref: 'AlarmTopic' } },
    });
    expect(template.Conditions.HasAlarmEmail).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
    for (const alarm of alarms()) {
      expect(alarm.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
      expect(alarm.TreatMissingData).toBe('notBreaching');
    }
  });

  it("alarms on the service's own metrics by the names and namespace the functions emit", () => {
    const own = alarms().filter((a) => a.Namespace === METRICS_NAMESPACE);
    expect(own.map((a) => a.MetricName).sort()).toEqual([
      'ArchiveErrors',
      'IndexCompactionFailed',
      'IndexPendingAgeSeconds',
      'Parked',
      'ReconcileDispatched',
      'ReconcileFailed',
      'RetentionSweepFailed',
    ]);
    for (const alarm of own) {
      expect(Object.keys(METRICS)).toContain(alarm.MetricName);
      // Powertools' `service` dimension, which POWERTOOLS_SERVICE_NAME sets per stage.
      expect(alarm.Dimensions).toEqual([{ Name: 'service', Value: 'vms-call-archive-prod' }]);
    }
    for (const name of ['Archive', 'Reports', 'Reconcile', 'Park'])
      expect(fn(name).Environment).toMatchObject({
        Variables: expect.objectContaining({ POWERTOOLS_SERVICE_NAME: 'vms-call-archive-prod' }),
      });
    const thresholds = Object.fromEntries(own.map((a) => [a.MetricName, a.Threshold]));
    expect(thresholds).toMatchObject({
      Parked: 0,
      ReconcileDispatched: 0,
      IndexPendingAgeSeconds: 600,
    });
  });

  it('alarms when the dead-letter queue stays non-empty and when the archive function crashes', () => {
    const byName = Object.fromEntries(alarms().map((a) => [a.name, a]));
    expect(byName.DeadLetterQueueNotEmptyAlarm).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: 'vms-call-archive-prod-archive-dlq' }],
      Statistic: 'Minimum',
      EvaluationPeriods: 3,
    });
    expect(template.Resources.ArchiveDeadLetterQueue?.Properties.QueueName).toBe(
      'vms-call-archive-prod-archive-dlq',
    );
    expect(byName.ArchiveFunctionErrorsAlarm).toMatchObject({
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: 'vms-call-archive-prod-archive' }],
    });
  });

  it('lets the functions that notify read and write only _alerts/ for it', () => {
    expect(template.Resources.AlertsStatePolicy?.Properties).toEqual({
      Roles: [{ Ref: 'ReportsRole' }, { Ref: 'ReconcileRole' }, { Ref: 'ParkRole' }],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:PutObject'],
            Resource: 'arn:aws:s3:::vms-call-archive-prod-ap-southeast-1-archive/calls/_alerts/*',
          },
          {
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: 'arn:aws:s3:::vms-call-archive-prod-ap-southeast-1-archive',
            Condition: { StringLike: { 's3:prefix': 'calls/_alerts/*' } },
          },
        ],
      },
    });
  });

  it('bundles Powertools Metrics into the AWS functions that emit, writing EMF under the namespace', async () => {
    for (const name of ['archive', 'park', 'reconcile', 'reports']) {
      // A bundle may be near 1 MB, execFile's default buffer: room for four.
      const { stdout } = await run(
        'unzip',
        ['-p', join(out, `${name}.zip`), `functions/${name}/handler.js`],
        { maxBuffer: 4 * 1024 * 1024 },
      );
      expect(stdout).toContain('CloudWatchMetrics');
      expect(stdout).toContain(METRICS_NAMESPACE);
    }
  });

  it("gives Athena a calls table whose columns and types are the Parquet files' own, projected by date", () => {
    // The schema of a part as compaction writes it, in Hive's words.
    const bytes = encodePart([indexRow(1)]);
    const { schema } = parquetMetadata(bytes.buffer.slice(0) as ArrayBuffer);
    const hive: { Name: string; Type: string }[] = [];
    for (let i = 1; i < schema.length; i++) {
      const element = schema[i];
      if (!element) continue;
      if (element.converted_type === 'LIST') {
        hive.push({ Name: element.name, Type: 'array<string>' });
        i += 2; // its repeated `list` group and `element`
      } else if (element.logical_type?.type === 'TIMESTAMP')
        hive.push({ Name: element.name, Type: 'timestamp' });
      else if (element.type === 'INT32') hive.push({ Name: element.name, Type: 'int' });
      else if (element.type === 'INT64') hive.push({ Name: element.name, Type: 'bigint' });
      else if (element.converted_type === 'UTF8') hive.push({ Name: element.name, Type: 'string' });
      else hive.push({ Name: element.name, Type: `unknown ${element.type}` });
    }
    const [, table] = ofType('AWS::Glue::Table')[0] ?? [];
    const input = table?.Properties.TableInput as {
      StorageDescriptor: { Columns: unknown; Location: string };
      PartitionKeys: unknown;
      Parameters: Record<string, string>;
    };
    expect(input.StorageDescriptor.Columns).toEqual(hive);
    expect(input.PartitionKeys).toEqual([{ Name: 'date', Type: 'string' }]);
    expect(input.StorageDescriptor.Location).toBe(
      's3://vms-call-archive-prod-ap-southeast-1-archive/calls/index/calls/',
    );
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.date.type': 'date',
      'projection.date.format': 'yyyy-MM-dd',
      'projection.date.range': expect.stringMatching(/,NOW\+1DAYS$/),
    });
    const [, workgroup] = ofType('AWS::Athena::WorkGroup')[0] ?? [];
    expect(JSON.stringify(workgroup?.Properties)).toContain(
      's3://vms-call-archive-prod-ap-southeast-1-archive/athena-results/',
    );
  });

  it('names the Glue database in the letters Glue allows, for a stage with a hyphen too', async () => {
    // Prepare: the stage's configuration as serverless resolves it (no package: no bundles).
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_PROFILE: '',
    };
    // Act
    const { stdout } = await run(
      join(root, 'node_modules', '.bin', 'serverless'),
      ['print', '--stage', 'prod-cn', '--format', 'json'],
      { cwd: root, env, maxBuffer: 16 * 1024 * 1024 },
    );
    const printed = JSON.parse(stdout) as { resources: { Resources: Record<string, Resource> } };
    // Assess
    expect(glueDatabaseName(template.Resources)).toBe('vms_call_archive_prod');
    const name = glueDatabaseName(printed.resources.Resources);
    expect(name).toMatch(/^[a-z0-9_]+$/);
    expect(name).toBe('vms_call_archive_prod_cn');
  });
});
