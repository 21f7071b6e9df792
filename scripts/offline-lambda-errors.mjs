// Preloaded (NODE_OPTIONS=--import) into the sandbox's serverless offline: registers the
// load hook in scripts/offline-lambda-errors-hooks.mjs, which makes a function that fails
// (one that cannot even be loaded, a build gone, a variable that stops its cold start)
// answer as API Gateway's HTTP API does, 500 with no detail, and logs the cause.
import { register } from 'node:module';

register('./offline-lambda-errors-hooks.mjs', import.meta.url);
