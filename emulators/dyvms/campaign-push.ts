/**
 * A push of eight calls of the emulator's sample campaign (task 2000001), four on
 * 2019-06-14 and four on 2019-06-15, as the Voice Service posts it: what the browser tests
 * and `npm run screenshots` archive to have a result worth searching.
 */
export const campaignPush = () =>
  Array.from({ length: 8 }, (_, i) => {
    const date = i % 2 === 0 ? '2019-06-14' : '2019-06-15';
    return {
      call_id: `2000001${String(i).padStart(4, '0')}^9${String(i).padStart(6, '0')}`,
      callee: `1390000${String(i).padStart(4, '0')}`,
      start_time: `${date} 10:0${i}:00`,
      end_time: `${date} 10:0${i}:30`,
      task_id: '2000001',
      status_code: '200000',
    };
  });
