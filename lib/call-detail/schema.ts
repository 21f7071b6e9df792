import * as z from 'zod';

/**
 * CallDetail: the normalized form of QueryRobotTaskCallDetail's `Data` (docs/design.md "CallDetail").
 * Known codes become words; an unknown code is kept as received, never guessed.
 * A field the upstream did not send is `null`, never a made-up zero.
 */
const digits = z.string().regex(/^\d+$/);
const isoChina = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
const count = z.number().int().nonnegative().nullable();

export const HangupBySchema = z.string().describe("'user' | 'robot' | the unknown code as sent");
export const TransferStatusSchema = z
  .string()
  .describe("'succeeded' | 'failed' | 'not_transferred' | the unknown code as sent");
export const RecordingStatusSchema = z
  .string()
  .describe("'available' | 'none' | 'pending' (no recordStatus yet) | the unknown code as sent");

export const DialogTurnSchema = z.object({
  role: z.string(),
  content: z.string(),
  spokenAt: isoChina.nullable(),
});

export const CallDetailSchema = z.object({
  taskId: digits,
  callId: z.string().min(1),
  caller: z.string().nullable(),
  callee: z.string().nullable(),
  durationSeconds: count,
  labels: z.array(z.string()),
  dialogCount: count,
  callResult: z.string().nullable(),
  hangupBy: HangupBySchema.nullable(),
  transfer: z.object({
    status: TransferStatusSchema.nullable(),
    number: z.string().nullable(),
    failReason: z.string().nullable(),
  }),
  recallCount: count,
  startedAt: isoChina.nullable(),
  endedAt: isoChina.nullable(),
  counts: z.object({
    sure: count,
    deny: count,
    reject: count,
    custom: count,
    knowledge: count,
    default: count,
    knowledgeBusiness: count,
    knowledgeCommon: count,
  }),
  recording: z.object({
    status: RecordingStatusSchema,
    url: z.string().nullable(),
    expiresAt: z.string().nullable(),
  }),
  dialog: z.array(DialogTurnSchema),
  raw: z.record(z.string(), z.unknown()),
});

export type CallDetail = z.infer<typeof CallDetailSchema>;
export type DialogTurn = z.infer<typeof DialogTurnSchema>;
