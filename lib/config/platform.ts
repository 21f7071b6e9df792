import * as z from 'zod';
import { csv, optionalText, optionalUrl, positiveInt } from './values';

/** A TCP port: what Node's listen() takes, named here rather than as its raw RangeError. */
const port = (fallback: number) =>
  positiveInt(fallback).pipe(z.number().max(65_535, 'expected a port, 1 to 65535'));

/** Unset: the OS picks a free one (0). */
const optionalPort = z
  .string()
  .optional()
  .transform((value) => value?.trim() || '0')
  .pipe(z.string().regex(/^\d+$/, 'expected a port, 1 to 65535').transform(Number))
  .pipe(z.number().int().min(0).max(65_535, 'expected a port, 1 to 65535'));

/** Where and how the process runs. */
export const platformSchema = z
  .object({
    // The SSM Parameter Store path the secrets are read from on AWS (unset: the environment).
    SECRETS_SSM_PATH: optionalText,
    // The secrets this function reads under that path, by variable name: only these, each
    // granted to its role alone (docs/design.md "Least privilege"); none: no SSM read.
    SECRETS_SSM_NAMES: z
      .string()
      .optional()
      .transform((value) => csv(value ?? ''))
      .refine(
        (names) => names.every((name) => /^[A-Z][A-Z0-9_]*$/.test(name)),
        'expected comma-separated variable names such as API_KEYS,REPORTS_TOKEN',
      ),
    // Lambda sets AWS_REGION; AWS_ENDPOINT_URL_SSM is the AWS SDKs' own name for an SSM endpoint.
    AWS_REGION: optionalText,
    AWS_ENDPOINT_URL_SSM: optionalUrl('expected a URL such as http://127.0.0.1:4583'),
    PORT: port(3000),
    // The sandbox's: serverless offline's Lambda API (its timers) and the Dyvmsapi emulator.
    SANDBOX_LAMBDA_PORT: optionalPort,
    SANDBOX_EMULATOR_PORT: optionalPort,
  })
  .transform((e) => ({
    secrets: e.SECRETS_SSM_PATH
      ? {
          path: e.SECRETS_SSM_PATH,
          names: e.SECRETS_SSM_NAMES,
          region: e.AWS_REGION,
          endpoint: e.AWS_ENDPOINT_URL_SSM,
        }
      : undefined,
    port: e.PORT,
    /** 0: any free port. */
    sandboxLambdaPort: e.SANDBOX_LAMBDA_PORT,
    /** 0: any free port. */
    sandboxEmulatorPort: e.SANDBOX_EMULATOR_PORT,
  }));
