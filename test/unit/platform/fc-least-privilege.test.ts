import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import * as z from 'zod';

/**
 * s.yaml and the RAM policies in ram/: one role per function, each allowed what its
 * function does, and each secret only on the functions that read it (docs/design.md
 * "Least privilege").
 */
const root = join(__dirname, '..', '..', '..');

const FunctionSchema = z.object({
  component: z.literal('fc3'),
  props: z.object({
    functionName: z.string(),
    role: z.string(),
    environmentVariables: z.record(z.string(), z.string()).optional(),
    asyncInvokeConfig: z
      .object({
        destinationConfig: z
          .object({ onFailure: z.object({ destination: z.string() }).optional() })
          .optional(),
      })
      .optional(),
  }),
});
const StackSchema = z.object({ resources: z.record(z.string(), FunctionSchema) });
const PolicySchema = z.object({
  Version: z.literal('1'),
  Statement: z.array(
    z.object({
      Effect: z.literal('Allow'),
      Action: z.array(z.string()),
      Resource: z.array(z.string()),
      Condition: z.unknown().optional(),
    }),
  ),
});

const stack = StackSchema.parse(parse(readFileSync(join(root, 's.yaml'), 'utf8')));
const functions = Object.keys(stack.resources);
const policyOf = (name: string) =>
  PolicySchema.parse(JSON.parse(readFileSync(join(root, 'ram', `${name}.json`), 'utf8')));
const actionsOf = (name: string) =>
  [...new Set(policyOf(name).Statement.flatMap((s) => s.Action))].sort();
const resourcesFor = (name: string, action: string) =>
  policyOf(name)
    .Statement.filter((s) => s.Action.includes(action))
    .flatMap((s) => s.Resource);

const SECRETS = [
  'API_KEYS',
  'REPORTS_TOKEN',
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  'BROWSE_SESSION_SECRET',
  'AUDIT_HASH_SECRET',
];
const secretsOf = (name: string) =>
  Object.keys(stack.resources[name]?.props.environmentVariables ?? {})
    .filter((variable) => SECRETS.includes(variable))
    .sort();

describe('Function Compute: one RAM role per function (s.yaml, ram/)', () => {
  it('given the stack, then every function, those added later too, assumes a role of its own named for it, with a policy in ram/', () => {
    const roles = functions.map((name) => stack.resources[name]?.props.role);

    expect([...functions].sort()).toEqual(
      [
        'archive',
        'browse',
        'index-compact',
        'lookup',
        'park',
        'reconcile',
        'reports',
        'retention',
      ].sort(),
    );
    expect(new Set(roles).size).toBe(functions.length);
    for (const name of functions) {
      expect(stack.resources[name]?.props.role).toBe(
        `acs:ram::\${config('AccountID')}:role/vms-call-archive-${name}`,
      );
      expect(existsSync(join(root, 'ram', `${name}.json`))).toBe(true);
    }
  });

  it.each([
    ['lookup', ['dyvms:QueryRobotTaskCallDetail', 'log:PostLogStoreLogs']],
    ['reports', ['fc:InvokeFunction', 'log:PostLogStoreLogs', 'oss:PutObject']],
    [
      'archive',
      [
        'dyvms:QueryRobotTaskCallDetail',
        'fc:InvokeFunction',
        'log:PostLogStoreLogs',
        'oss:AbortMultipartUpload',
        'oss:DeleteObject',
        'oss:DeleteObjectVersion',
        'oss:GetObject',
        'oss:ListObjectVersions',
        'oss:ListObjects',
        'oss:PutObject',
      ],
    ],
    [
      'reconcile',
      [
        'dyvms:QueryRobotTaskCallList',
        'dyvms:QueryRobotTaskList',
        'fc:InvokeFunction',
        'log:PostLogStoreLogs',
        'oss:DeleteObject',
        'oss:GetObject',
        'oss:ListObjects',
        'oss:PutObject',
      ],
    ],
    [
      'browse',
      [
        'log:PostLogStoreLogs',
        'oss:DeleteObject',
        'oss:GetObject',
        'oss:ListObjects',
        'oss:PutObject',
      ],
    ],
    ['park', ['log:PostLogStoreLogs', 'oss:PutObject']],
    [
      'index-compact',
      [
        'log:PostLogStoreLogs',
        'oss:DeleteObject',
        'oss:GetObject',
        'oss:ListObjects',
        'oss:PutObject',
      ],
    ],
    [
      'retention',
      [
        'log:PostLogStoreLogs',
        'oss:DeleteObject',
        'oss:DeleteObjectVersion',
        'oss:GetObject',
        'oss:ListObjectVersions',
        'oss:ListObjects',
        'oss:PutObject',
      ],
    ],
  ])('given %s, then its role may do exactly %j', (name, expected) => {
    expect(actionsOf(name)).toEqual(expected);
  });

  it('given any policy, then no action is a wildcard and only Dyvmsapi (which has no resource-level grants) is granted on *', () => {
    for (const name of functions) {
      for (const statement of policyOf(name).Statement) {
        expect(statement.Action.filter((action) => action.includes('*'))).toEqual([]);
        if (statement.Resource.includes('*'))
          expect(statement.Action.every((action) => action.startsWith('dyvms:'))).toBe(true);
      }
    }
  });

  it('given the writers, then reports and park write only _rejected/, reconcile only _reconcile/, archive deletes only a call’s recording and detail.json', () => {
    const prefix = 'acs:oss:*:*:vms-call-archive-{{AccountID}}/calls';

    expect(resourcesFor('reports', 'oss:PutObject')).toEqual([`${prefix}/_rejected/*`]);
    expect(resourcesFor('park', 'oss:PutObject')).toEqual([`${prefix}/_rejected/*`]);
    expect(resourcesFor('reconcile', 'oss:PutObject')).toEqual([`${prefix}/_reconcile/*`]);
    expect(resourcesFor('archive', 'oss:DeleteObject')).toEqual([
      `${prefix}/*/recording.*`,
      `${prefix}/*/detail.json`,
    ]);
    expect(resourcesFor('index-compact', 'oss:DeleteObject')).toEqual([`${prefix}/index/*`]);
  });

  it("given FC's dispatch, an async invocation whose on-failure record carries the error, then no role is granted the queue's notes under _attempts/", () => {
    const dispatching = functions.filter(
      (name) => stack.resources[name]?.props.environmentVariables?.DISPATCH,
    );
    const grantsNotes = (name: string) =>
      policyOf(name).Statement.some((s) => s.Resource.some((r) => r.includes('/_attempts/')));

    // Only the jobs queue's redrive (AWS) drops the error; FC has no queue to note it for.
    expect(dispatching.length).toBeGreaterThan(0);
    for (const name of dispatching)
      expect(stack.resources[name]?.props.environmentVariables?.DISPATCH).toMatch(/^fc:/);
    expect(functions.filter(grantsNotes)).toEqual([]);
  });

  it('given who invokes whom, then each role may invoke only the function it dispatches to or fails over to', () => {
    const fn = (name: string) => `acs:fc:{{Region}}:{{AccountID}}:functions/${name}`;
    const dispatchOf = (name: string) =>
      stack.resources[name]?.props.environmentVariables?.DISPATCH?.replace(/^fc:/, '');
    const destination =
      stack.resources.archive?.props.asyncInvokeConfig?.destinationConfig?.onFailure?.destination;

    expect(resourcesFor('reports', 'fc:InvokeFunction')).toEqual([fn(dispatchOf('reports') ?? '')]);
    expect(resourcesFor('reconcile', 'fc:InvokeFunction')).toEqual([
      fn(dispatchOf('reconcile') ?? ''),
    ]);
    expect(destination).toMatch(/functions\/vms-call-archive-park$/);
    expect(resourcesFor('archive', 'fc:InvokeFunction')).toEqual([fn('vms-call-archive-park')]);
  });

  it.each([
    ['lookup', ['API_KEYS']],
    ['reports', ['REPORTS_TOKEN']],
    ['archive', ['AUDIT_HASH_SECRET']],
    ['reconcile', ['AUDIT_HASH_SECRET']],
    ['browse', ['API_KEYS', 'BROWSE_SESSION_SECRET']],
    ['park', []],
  ])(
    'given %s, then its only secret variables are %j (Alibaba Cloud keys come from its role)',
    (name, expected) => {
      expect(secretsOf(name)).toEqual(expected);
    },
  );

  it('given the trust policy, then only Function Compute may assume the roles', () => {
    const trust = JSON.parse(readFileSync(join(root, 'ram', 'trust-fc.json'), 'utf8'));

    expect(trust.Statement).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['fc.aliyuncs.com'] } },
    ]);
  });
});
