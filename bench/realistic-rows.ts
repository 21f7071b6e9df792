import { createHash } from 'node:crypto';
import type { IndexRow } from '../lib/layout/index-rows';
import { indexRow } from '../test/support/index-rows';

/**
 * Index rows as a robot campaign's day gives them: dialogs of 2 to 9 turns drawn from a
 * campaign's script with the customer's own answers, numbers and names varying call by
 * call (so a part's dictionary and compression see what a real day gives them, not one
 * dialog repeated), results, labels and durations varying too. Deterministic in `n`.
 */
const OPENINGS = [
  '您好，这里是某某房产，请问您最近有购房的打算吗？',
  '您好，我是某某银行的客服，您的信用卡可以申请分期，请问需要了解一下吗？',
  '您好，这里是某某教育，孩子暑假的课程现在报名有优惠，您感兴趣吗？',
  '您好，您在我们平台的订单已发货，请问方便确认一下收货地址吗？',
];
const ANSWERS = [
  '嗯，有的，想了解一下',
  '现在不方便，你晚点再打',
  '多少钱？',
  '你们是怎么拿到我电话的',
  '不需要，谢谢',
  '太贵了，你们再打我就投诉',
  '可以，你说吧',
  '我在开车',
  'OK, send me the details by SMS',
];
const ROBOT = [
  '好的，我们在滨江有一个新楼盘，均价{price}元，您看周末方便来看看吗？',
  '明白，那我{hour}点再联系您可以吗？',
  '抱歉打扰您，祝您生活愉快',
  '我们的顾问{name}会加您的微信，稍后把资料发给您',
  '您的号码尾号是{tail}，对吗？',
  '现在办理首年免年费，分{months}期手续费打八折',
];
const NAMES = ['王经理', '李老师', '张顾问', '陈小姐', '刘先生'];
const RESULTS = ['已接通', '已接通', '已接通', '未接通', '用户忙', '关机', '空号'];
const LABELS = [[], ['邀约'], ['邀约', '有房'], ['无意向'], ['投诉风险'], ['A类', '回访']];

/** A small deterministic generator (mulberry32), seeded by the call's number. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(next: () => number, items: readonly T[]): T =>
  items[Math.floor(next() * items.length)] as T;

export function realisticDialog(n: number): { text: string; turns: number } {
  const next = random(n);
  const turns = 2 + Math.floor(next() * 8);
  const lines = [`robot: ${pick(next, OPENINGS)}`];
  for (let t = 1; t < turns; t++) {
    if (t % 2 === 1) lines.push(`user: ${pick(next, ANSWERS)}`);
    else
      lines.push(
        `robot: ${pick(next, ROBOT)
          .replace('{price}', String(20_000 + Math.floor(next() * 40_000)))
          .replace('{hour}', String(9 + Math.floor(next() * 10)))
          .replace('{name}', pick(next, NAMES))
          .replace('{tail}', String(n % 10_000).padStart(4, '0'))
          .replace('{months}', String(pick(next, [3, 6, 12, 24])))}`,
      );
  }
  return { text: lines.join('\n'), turns };
}

/** Call `n` of task `taskId` on `date` (ids unique per `n`). */
export function realisticRow(n: number, date: string, taskId: string): IndexRow {
  const next = random(n ^ 0x5bd1e995);
  const started = Date.parse(`${date}T00:00:00+08:00`) + Math.floor((n % 100_000) * 0.8) * 1000;
  const callId = `${116950320000 + n}^${103750100000 + n}`;
  const answered = next() < 0.6;
  const dialog = answered ? realisticDialog(n) : { text: '', turns: 0 };
  const duration = answered ? 5 + Math.floor(next() * 180) : 0;
  return indexRow(
    n,
    {
      call_id: callId,
      callee: `1${String(30_000_000_00 + n * 7919).slice(0, 10)}`,
      started_at: new Date(started).toISOString(),
      ended_at: new Date(started + duration * 1000).toISOString(),
      archived_at: new Date(started + duration * 1000 + 60_000).toISOString(),
      duration_seconds: duration,
      dialog_count: dialog.turns,
      call_result: answered ? '已接通' : pick(next, RESULTS.slice(3)),
      labels: answered ? [...pick(next, LABELS)] : [],
      dialog_text: dialog.text,
      recording_key: answered
        ? `${taskId}/${date}/${callId.replace('^', '_')}/recording.wav`
        : null,
      recording_sha256: answered ? createHash('sha256').update(callId).digest('hex') : null,
      recording_content_type: answered ? 'audio/wav' : null,
      recording_bytes: answered ? 16_000 * duration : null,
      detail_key: `${taskId}/${date}/${callId.replace('^', '_')}/detail.json`,
    },
    taskId,
  );
}
