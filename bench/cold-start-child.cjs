// Child of the cold-start benchmark: load one bundle, handle one request, print the time
// since this process started (performance.now() counts from the process's time origin).
const { performance } = require('node:perf_hooks');
const [bundle, eventFile] = process.argv.slice(2);
const event = JSON.parse(require('node:fs').readFileSync(eventFile, 'utf8'));
const context = {
  awsRequestId: 'cold',
  functionName: 'bench',
  getRemainingTimeInMillis: () => 30000,
};
Promise.resolve(require(bundle).handler(event, context)).then(
  (result) => {
    process.stdout.write(
      `${JSON.stringify({ ms: performance.now(), status: result?.statusCode })}\n`,
    );
    process.exit(0);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
