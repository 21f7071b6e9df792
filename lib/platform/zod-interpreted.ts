import * as z from 'zod';

/**
 * Zod's parsers interpreted, not compiled, for the functions whose cold start is the request
 * (the archive, the lookup). Zod 4 compiles each object schema's parser with `new Function` the
 * first time it parses; that pays back after many parses of one shape, but a cold function
 * parses each shape a few times (its configuration, one call detail, a few stored
 * documents), and compiling them cost 3–6 ms of a cold start of ~140 ms in paired runs
 * (BENCHMARKS.md "Per-platform bundles and cold starts"). Functions that parse many records
 * of one shape (the push receiver, compaction, browse) keep the compiled parsers; where
 * functions share one process (the sandbox), the flag holds for all of them (speed only).
 *
 * Import it first in a handler: zod reads the flag as each schema is built.
 */
z.config({ jitless: true });
