import * as $tea from '@alicloud/tea-typescript';

/**
 * Tea models for QueryRobotTaskCallDetail, written the way Alibaba's generated SDKs are
 * (the dyvmsapi-20170525 package is not on the registry). One departure: TaskId is typed
 * as a string, because task ids are Longs and may exceed 2^53.
 */
export class QueryRobotTaskCallDetailRequest extends $tea.Model {
  declare taskId?: string;
  declare callee?: string;
  // `declare`: a class field would reset what the Tea Model constructor just set.
  /** Epoch milliseconds of any instant on the day of the call. */
  declare queryDate?: number;

  static names(): Record<string, string> {
    return { taskId: 'TaskId', callee: 'Callee', queryDate: 'QueryDate' };
  }

  static types(): Record<string, string> {
    return { taskId: 'string', callee: 'string', queryDate: 'number' };
  }
}

/** The body every Dyvmsapi RPC action answers: Code, Message, RequestId and Data. */
export class RpcResponseBody extends $tea.Model {
  declare code?: string;
  /** A JSON string on the live API (an object in one documented example). */
  declare data?: unknown;
  declare message?: string;
  declare requestId?: string;

  static names(): Record<string, string> {
    return { code: 'Code', data: 'Data', message: 'Message', requestId: 'RequestId' };
  }

  static types(): Record<string, string> {
    return { code: 'string', data: 'any', message: 'string', requestId: 'string' };
  }
}

export class QueryRobotTaskCallDetailResponseBody extends RpcResponseBody {}

/**
 * QueryRobotTaskCallList: a task's calls, a page at a time. The API documents no total:
 * page until a short page. TaskId is a string here too (ids may exceed 2^53).
 */
export class QueryRobotTaskCallListRequest extends $tea.Model {
  declare taskId?: string;
  declare pageNo?: number;
  declare pageSize?: number;
  declare called?: string;

  static names(): Record<string, string> {
    return { taskId: 'TaskId', pageNo: 'PageNo', pageSize: 'PageSize', called: 'Called' };
  }

  static types(): Record<string, string> {
    return { taskId: 'string', pageNo: 'number', pageSize: 'number', called: 'string' };
  }
}

/** Data: a JSON array (as a string) of call rows, without recordFile. */
export class QueryRobotTaskCallListResponseBody extends RpcResponseBody {}

/**
 * QueryRobotTaskList: the account's robot-call tasks, a page at a time, filtered by name,
 * status or creation day (`Time`, yyyy-MM-dd). `Data` is a JSON string of task rows.
 */
export class QueryRobotTaskListRequest extends $tea.Model {
  declare taskName?: string;
  declare status?: string;
  /** The tasks' creation day, yyyy-MM-dd. */
  declare time?: string;
  declare pageNo?: number;
  declare pageSize?: number;

  static names(): Record<string, string> {
    return {
      taskName: 'TaskName',
      status: 'Status',
      time: 'Time',
      pageNo: 'PageNo',
      pageSize: 'PageSize',
    };
  }

  static types(): Record<string, string> {
    return {
      taskName: 'string',
      status: 'string',
      time: 'string',
      pageNo: 'number',
      pageSize: 'number',
    };
  }
}

/** Data: a JSON array (as a string) of `{id, taskName, status, createTime, fireTime, …}`. */
export class QueryRobotTaskListResponseBody extends RpcResponseBody {}
