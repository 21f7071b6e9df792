#!/usr/bin/env node
// The CLI runs as a bundle built from cli/ and lib/ (scripts/cli-bundle.cjs): on the first
// run after a change it is built (a second or two), then every command starts at once.
require(require('../scripts/cli-bundle.cjs').freshBundle()).main();
