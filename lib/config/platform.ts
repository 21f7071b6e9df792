import * as z from 'zod';
import { optionalText, optionalUrl, positiveInt } from './values';

/** Where and how the process runs. */
export const platformSchema = z
  .object({
    // The SSM Parameter Store path the secrets are read from on AWS (unset: the environment).
    SECRETS_SSM_PATH: optionalText,
    // Lambda sets AWS_REGION; AWS_ENDPOINT_URL_SSM is the AWS SDKs' own name for an SSM endpoint.
    AWS_REGION: optionalText,
    AWS_ENDPOINT_URL_SSM: optionalUrl('expected a URL such as http://127.0.0.1:4583'),
    PORT: positiveInt(3000),
  })
  .transform((e) => ({
    secrets: e.SECRETS_SSM_PATH
      ? { path: e.SECRETS_SSM_PATH, region: e.AWS_REGION, endpoint: e.AWS_ENDPOINT_URL_SSM }
      : undefined,
    port: e.PORT,
  }));
