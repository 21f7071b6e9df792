/**
 * Which platform a bundle is built for: esbuild's `define` sets `__VMS_PLATFORM__` to
 * `"aws"` (serverless.yml) or `"fc"` (scripts/build-fc.ts), and each branch written as
 * `typeof __VMS_PLATFORM__ === 'undefined' || __VMS_PLATFORM__ === 'fc'` folds to a
 * constant, so the other platform's SDK is never bundled: an AWS bundle carries no
 * Function Compute SDK, an FC bundle no Lambda, SQS or SSM client. Unbundled (tests, the
 * CLI, the sandbox) the name is undefined and every platform is available. The check is
 * written out at each site because esbuild folds it only there, not through a function.
 */
declare const __VMS_PLATFORM__: 'aws' | 'fc' | undefined;

/**
 * Whether a bundle may archive in the process that takes the push (`DISPATCH=local`): true
 * in the sandbox's bundles (serverless.yml reads `VMS_SANDBOX`, which `npm start` sets),
 * false in what is deployed, where a function is frozen once it answers and the work would
 * stall; the Dyvmsapi client and the archive then fold out of the push receiver's bundle.
 * Unbundled (tests, the CLI) it is undefined and `local` is available.
 */
declare const __VMS_IN_PROCESS_ARCHIVE__: boolean | number | undefined;
