import { readDocument } from '../layout/document';
import { RECEIPTS_PREFIX, type Receipt, ReceiptSchema } from '../layout/lifecycle';
import type { ObjectStore } from '../storage/object-store';

/**
 * The erasure receipts of the days `from`..`to` (Asia/Shanghai, the erasure's day), oldest
 * first: one folder listing, then one listing and one read per receipt of those days.
 * @example await listReceipts(store, { from: '2026-01-01' })
 */
export async function listReceipts(
  store: ObjectStore,
  range: { from?: string; to?: string } = {},
): Promise<Receipt[]> {
  const receipts: Receipt[] = [];
  for (const folder of await store.listDirs(RECEIPTS_PREFIX)) {
    const day = /^date=(\d{4}-\d{2}-\d{2})$/.exec(folder)?.[1];
    if (!day || (range.from && day < range.from) || (range.to && day > range.to)) continue;
    for (const key of await store.list(`${RECEIPTS_PREFIX}${folder}/`)) {
      const receipt = await readDocument(store, ReceiptSchema, key);
      if (receipt) receipts.push(receipt);
    }
  }
  return receipts.sort((a, b) => a.at.localeCompare(b.at));
}

/** One line per receipt, as `erase --receipts` prints it: counts and keys, no number. */
export function receiptLine(receipt: Receipt): string {
  const what =
    receipt.kind === 'callee'
      ? `callee ${receipt.callee?.masked ?? '?'}${receipt.suppressed ? ' (suppressed)' : ''}`
      : receipt.kind === 'call'
        ? (receipt.calls[0]?.key ?? 'call')
        : `retention${receipt.days?.length ? ` ${receipt.days[0]}..${receipt.days[receipt.days.length - 1]}` : ''}`;
  const objects = receipt.calls.reduce((sum, call) => sum + call.objects, 0);
  return `${receipt.id}  ${receipt.at}  ${what}: ${receipt.calls.length} calls, ${objects} objects, ${receipt.held.length} held, by ${receipt.who ?? '?'}: ${receipt.reason}`;
}
