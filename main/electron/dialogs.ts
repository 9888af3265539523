import { BrowserWindow, dialog, type OpenDialogOptions, type WebContents } from 'electron';
import type { CallInput, PickFolderDto } from '../../preload/contract';

/** The native folder picker behind `dialog.pickFolder` (serve mode answers "unavailable" instead). */
export async function pickFolder(
  target: WebContents | null,
  input: CallInput<'dialog.pickFolder'>,
): Promise<PickFolderDto> {
  const opts: OpenDialogOptions = {
    title: input.title ?? (input.purpose === 'import' ? 'Import models from a folder' : 'Choose a folder'),
    properties: ['openDirectory', 'createDirectory'],
  };
  const win = target && !target.isDestroyed() ? BrowserWindow.fromWebContents(target) : null;
  const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
  return { available: true, path: r.canceled ? null : (r.filePaths[0] ?? null), reason: null };
}
