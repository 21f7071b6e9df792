// Preloaded (NODE_OPTIONS=--require) into the sandbox's serverless offline child: ends the
// child once the sandbox that started it is gone (it is then re-parented), even after a
// `kill -9` of the sandbox, so no half of it is left holding the ports with its emulators
// gone.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 300).unref();
