import { spawn } from 'node:child_process';

/** The program that opens a URL in the user's browser, as an argument array (never a shell string). */
export function browserCommand(url: string, platform = process.platform): { file: string; args: string[] } {
  if (platform === 'win32') {
    // rundll32 opens the default browser without a console window and without cmd.exe's quoting rules.
    return { file: 'rundll32.exe', args: ['url.dll,FileProtocolHandler', url] };
  }
  if (platform === 'darwin') return { file: 'open', args: [url] };
  return { file: 'xdg-open', args: [url] };
}

/** Best effort: on a headless box there is no browser, and the printed URL is the answer. */
export function openBrowser(url: string): Promise<boolean> {
  const { file, args } = browserCommand(url);
  return new Promise((resolve) => {
    try {
      const child = spawn(file, args, { stdio: 'ignore', detached: true, windowsHide: true });
      child.once('error', () => {
        resolve(false);
      });
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
