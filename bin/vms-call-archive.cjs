#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so a clone needs no build step.
require('tsx/cjs/api').register();
require('../cli/main.ts').main();
