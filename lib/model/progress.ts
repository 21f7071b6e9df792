/** What a long command reports as it goes (the CLI draws a bar; tests and functions stay silent). */
export interface Progress {
  start(total: number): void;
  tick(): void;
  stop(): void;
}

/** One call a command could not finish, callee masked, with the reason. */
export interface Failure {
  callId: string;
  callee: string;
  reason: string;
}

export const silent: Progress = {
  start: () => undefined,
  tick: () => undefined,
  stop: () => undefined,
};
