import { loadConfig } from '../../../lib/config';
import { ConfigError } from '../../../lib/errors';

/** What Node's timers hold: a longer delay fires after 1 ms, again and again. */
const TIMER_MAX_MS = 2 ** 31 - 1;

describe('every duration setting is bounded by what Node timers hold, and its error names it', () => {
  it.each([
    ['RECONCILE_EVERY_MINUTES', '100000', /RECONCILE_EVERY_MINUTES: .*35791 minutes/],
    ['RECONCILE_EVERY_MINUTES', '35792', /RECONCILE_EVERY_MINUTES: .*35791 minutes/],
    ['RECONCILE_LOOKBACK_HOURS', '597', /RECONCILE_LOOKBACK_HOURS: .*596 hours/],
    [
      'DYVMS_CONNECT_TIMEOUT_MS',
      String(TIMER_MAX_MS + 1),
      /DYVMS_CONNECT_TIMEOUT_MS: .*2147483647 ms/,
    ],
    ['DYVMS_READ_TIMEOUT_MS', '1e12', /DYVMS_READ_TIMEOUT_MS/],
    ['RECORDING_EXPIRY_MARGIN_MS', '9999999999', /RECORDING_EXPIRY_MARGIN_MS: .*2147483647 ms/],
    ['RECORDING_CONNECT_TIMEOUT_MS', '9999999999', /RECORDING_CONNECT_TIMEOUT_MS: .*2147483647 ms/],
    ['RECORDING_READ_TIMEOUT_MS', '9999999999', /RECORDING_READ_TIMEOUT_MS: .*2147483647 ms/],
    ['RECORDING_DEADLINE_MS', '9999999999', /RECORDING_DEADLINE_MS: .*2147483647 ms/],
    ['LOCAL_RETRY_DELAYS_MS', '1000,9999999999', /LOCAL_RETRY_DELAYS_MS: .*2147483647 ms/],
  ])('given %s=%s, then start-up stops naming it and its bound', (name, value, message) => {
    const start = () => loadConfig({ [name]: value });

    expect(start).toThrow(ConfigError);
    expect(start).toThrow(message);
  });

  it('given each at its bound, then it is taken as given', () => {
    const config = loadConfig({
      RECONCILE_EVERY_MINUTES: '35791',
      RECONCILE_LOOKBACK_HOURS: '596',
      DYVMS_READ_TIMEOUT_MS: String(TIMER_MAX_MS),
      RECORDING_DEADLINE_MS: String(TIMER_MAX_MS),
      LOCAL_RETRY_DELAYS_MS: `0,${TIMER_MAX_MS}`,
    });

    expect(config.reconcile).toMatchObject({ everyMinutes: 35791, lookbackHours: 596 });
    expect(config.dyvms.readTimeoutMs).toBe(TIMER_MAX_MS);
    expect(config.recording.deadlineMs).toBe(TIMER_MAX_MS);
    expect(config.dispatch.localRetryDelaysMs).toEqual([0, TIMER_MAX_MS]);
  });

  it('given nothing, then the download bounds default to 2 GiB and 10 minutes', () => {
    expect(loadConfig({}).recording).toMatchObject({
      maxBytes: 2 * 1024 ** 3,
      deadlineMs: 600_000,
    });
    expect(() => loadConfig({ RECORDING_MAX_BYTES: '0' })).toThrow(/RECORDING_MAX_BYTES/);
  });
});
