import * as z from 'zod';
import { PREFIXES } from './prefixes';

/**
 * The doctor's probe (docs/design.md "Operating it"): `_doctor/probe-{runId}.json`, written,
 * read back and deleted by `vms-call-archive doctor` to show the archive takes writes. A
 * run's own name, so two doctors at once never read each other's probe.
 */
export function doctorProbeKey(runId: string): string {
  if (!/^[0-9a-z]{1,32}$/.test(runId)) throw new RangeError(`bad doctor run id ${runId}`);
  return `${PREFIXES.doctor}probe-${runId}.json`;
}

export const DoctorProbeSchema = z.object({
  probe: z.literal('vms-call-archive doctor'),
  runId: z.string().min(1),
  writtenAt: z.iso.datetime(),
});

export type DoctorProbe = z.output<typeof DoctorProbeSchema>;
