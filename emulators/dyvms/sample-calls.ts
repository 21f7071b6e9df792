import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorCall } from './server';

/** The sandbox's and the tests' sample calls: the seed's call and a few variants. Fresh copies. */
export function sampleCalls(): EmulatorCall[] {
  return JSON.parse(readFileSync(join(__dirname, 'sample-calls.json'), 'utf8')) as EmulatorCall[];
}

/**
 * A campaign big enough to show backfill's progress: `count` calls of task `taskId`, half on
 * 2019-06-14 and half on 2019-06-15, each with a recording named `campaign_<i>.wav`.
 */
export function campaignCalls(taskId = '2000001', count = 300): EmulatorCall[] {
  return Array.from({ length: count }, (_, i) => {
    const date = i % 2 === 0 ? '2019-06-14' : '2019-06-15';
    const day = date.replaceAll('-', '.');
    const callee = `1390000${String(i).padStart(4, '0')}`;
    return {
      taskId,
      callee,
      date,
      recording: `campaign_${i}.wav`,
      data: {
        taskId: Number(taskId),
        called: callee,
        caller: '0571-88996676',
        callId: `${taskId}${String(i).padStart(4, '0')}^9${String(i).padStart(6, '0')}`,
        duration: String(10 + (i % 50)),
        callResult: i % 3 === 0 ? '无法接通' : '正常结束',
        hangupDirection: String(i % 2),
        callStartTime: `${day} 10:${String(i % 60).padStart(2, '0')}:00`,
        callEndTime: `${day} 10:${String(i % 60).padStart(2, '0')}:30`,
        recordStatus: 1,
      },
    };
  });
}
