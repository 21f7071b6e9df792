import { constants, mkdirSync, statSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A `file://` archive the sandbox can write, checked before anything starts: an existing
 * folder it may write, or a missing last folder whose parent exists (created, 0700). A
 * mistyped path is not created whole, and a file, a missing parent or a folder it may not
 * write is an error naming the path and the cause. Other stores are checked by their use.
 */
export async function ensureArchiveFolder(archiveUrl: string): Promise<void> {
  if (!archiveUrl.startsWith('file://')) return;
  const folder = fileURLToPath(archiveUrl);
  const refuse = (cause: string) =>
    new Error(`ARCHIVE_URL=${archiveUrl}: cannot use ${folder} as the archive: ${cause}`);
  const kind = kindOf(folder);
  if (kind === 'missing') {
    const parent = dirname(folder);
    const parentKind = kindOf(parent);
    if (parentKind === 'missing')
      throw refuse(`${parent} does not exist (only the last folder is created; check the path)`);
    if (parentKind !== 'folder') throw refuse(`${kindText(parent, parentKind)}`);
    try {
      mkdirSync(folder, { mode: 0o700 });
    } catch (error: unknown) {
      throw refuse(`cannot create it (${codeOf(error)})`);
    }
    return;
  }
  if (kind !== 'folder') throw refuse(kindText(folder, kind));
  try {
    await access(folder, constants.W_OK | constants.X_OK);
  } catch (error: unknown) {
    throw refuse(`this user may not write it (${codeOf(error)})`);
  }
}

type Kind = 'missing' | 'folder' | 'not-a-folder' | { error: string };

function kindOf(path: string): Kind {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'not-a-folder';
  } catch (error: unknown) {
    const code = codeOf(error);
    // ENOTDIR: a file on the way (its parent says which).
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : { error: code };
  }
}

function kindText(path: string, kind: Kind): string {
  if (kind === 'not-a-folder') return `${path} is a file, not a folder`;
  if (typeof kind === 'object') return `${path} cannot be read (${kind.error})`;
  return `${path} is ${kind}`;
}

const codeOf = (error: unknown): string =>
  (error as NodeJS.ErrnoException | undefined)?.code ?? String(error);
