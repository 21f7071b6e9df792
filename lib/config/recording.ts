import { isIP } from 'node:net';
import * as z from 'zod';
import { csv, durationMs, positiveInt } from './values';

/** Where recordings may come from, and how long to wait for them. */
export const recordingSchema = z
  .object({
    RECORDING_HOSTS: z
      .string()
      .optional()
      .transform((value) => csv(value ?? '.aliyuncs.com,.aliyun-inc.com'))
      // `.com` or `.` would allow half the internet: a suffix names at least two labels.
      .refine(
        (hosts) =>
          hosts.every(
            (host) =>
              host.replace(/^\./, '').split('.').filter(Boolean).length >= 2 || isIP(host) !== 0,
          ),
        'a suffix must have at least two labels (.aliyuncs.com, not .com)',
      ),
    RECORDING_EXPIRY_MARGIN_MS: durationMs(5 * 60_000),
    RECORDING_CONNECT_TIMEOUT_MS: durationMs(5_000),
    // A read that stalls this long mid-body fails the download (the body itself may take minutes).
    RECORDING_READ_TIMEOUT_MS: durationMs(30_000),
    // A recording larger than this (by Content-Length or by the bytes read) is refused.
    RECORDING_MAX_BYTES: positiveInt(2 * 1024 ** 3).pipe(
      z.number().max(Number.MAX_SAFE_INTEGER, 'too large'),
    ),
    // The longest one download may take from first byte to last, however steadily it trickles.
    RECORDING_DEADLINE_MS: durationMs(600_000),
    RECORDING_DOWNLOAD_ATTEMPTS: positiveInt(3),
    RECORDING_PRIVATE_ADDRESSES: z
      .enum(['', 'allow', 'deny'], { error: 'expected allow or deny' })
      .optional()
      .transform((value) => value || 'deny'),
  })
  .transform((e) => ({
    hosts: e.RECORDING_HOSTS,
    expiryMarginMs: e.RECORDING_EXPIRY_MARGIN_MS,
    connectTimeoutMs: e.RECORDING_CONNECT_TIMEOUT_MS,
    readTimeoutMs: e.RECORDING_READ_TIMEOUT_MS,
    maxBytes: e.RECORDING_MAX_BYTES,
    deadlineMs: e.RECORDING_DEADLINE_MS,
    downloadAttempts: e.RECORDING_DOWNLOAD_ATTEMPTS,
    privateAddresses: e.RECORDING_PRIVATE_ADDRESSES,
  }));
