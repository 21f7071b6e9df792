import { parseCallDetailResponse } from '../call-detail/parse-call-detail';
import type { CallDetail } from '../call-detail/schema';
import { log, maskPhone } from '../log';
import type { CallQuery } from '../model/call-query';
import type { DyvmsClient } from './client';
import { QueryRobotTaskCallDetailRequest } from './models';

export interface LookupResult {
  detail: CallDetail;
  upstreamRequestId: string | undefined;
}

/** QueryRobotTaskCallDetail, normalized. Throws CallNotReadyError, DyvmsError or CallDetailParseError. */
export async function lookupCall(query: CallQuery, client: DyvmsClient): Promise<LookupResult> {
  const body = await client.queryRobotTaskCallDetail(
    new QueryRobotTaskCallDetailRequest({
      taskId: query.taskId,
      callee: query.callee,
      queryDate: query.queryDate,
    }),
  );
  const detail = parseCallDetailResponse({ Data: body.data, RequestId: body.requestId });
  log('info', 'call looked up', {
    taskId: query.taskId,
    callee: maskPhone(query.callee),
    date: query.date,
    recording: detail.recording.status,
    upstreamRequestId: body.requestId,
  });
  return { detail, upstreamRequestId: body.requestId };
}
