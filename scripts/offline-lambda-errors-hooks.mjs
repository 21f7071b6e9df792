// A load hook (node:module register) for the sandbox's serverless offline, version pinned
// in package.json. For an HTTP API route, serverless offline turns a function's failure
// (thrown, or a handler module that does not load: ImportModuleError) into a 200 whose
// body is the error, its message and stack naming local paths, and prints it only among
// its own lines. API Gateway answers such a failure 500 `{"message":"Internal Server Error"}`
// and the cause goes to the function's log: this hook rewrites that one branch of
// serverless offline's HttpServer.js to do the same, the cause as one JSON log record
// (the sandbox shows it as `! the function … failed`).

const TARGET = '/node_modules/serverless-offline/src/events/http/HttpServer.js';

// The branch that wraps any result without a statusCode, the error included, as a 200.
const ANCHOR = `        if (
          endpoint.isHttpApi &&
          endpoint.payload === "2.0" &&
          (typeof result === "string" || !result.statusCode)
        ) {`;

const PATCH = `        if (endpoint.isHttpApi && err) {
          process.stdout.write(JSON.stringify({
            level: "ERROR",
            message: \`the function \${functionKey} failed before answering; answered 500\`,
            function: functionKey,
            error: \`\${err.name ?? "Error"}: \${String(err.message ?? err).split("\\n")[0]}\`,
          }) + "\\n")
          result = {
            statusCode: 500,
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ message: "Internal Server Error" }),
            isBase64Encoded: false,
          }
        } else if (
          endpoint.isHttpApi &&
          endpoint.payload === "2.0" &&
          (typeof result === "string" || !result.statusCode)
        ) {`;

export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context);
  if (!url.endsWith(TARGET)) return loaded;
  const source = String(loaded.source);
  if (!source.includes(ANCHOR)) {
    // A new serverless offline: better no sandbox than one that answers errors with 200.
    throw new Error(
      'serverless-offline changed its HTTP API error branch: scripts/offline-lambda-errors-hooks.mjs must follow it',
    );
  }
  return { ...loaded, source: source.replace(ANCHOR, PATCH) };
}
