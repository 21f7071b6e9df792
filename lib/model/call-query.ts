/** One call as the detail API is asked for it: by task, callee and day. */
export interface CallQuery {
  taskId: string;
  callee: string;
  /** The day of the call in China, YYYY-MM-DD. */
  date: string;
  /** What Dyvmsapi's QueryDate wants: epoch ms of an instant on that day. */
  queryDate: number;
}
