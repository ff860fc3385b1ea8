import * as fs from 'node:fs';
import * as path from 'node:path';

const executable = (file: string) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

/**
 * The Chromium the browser tests drive with playwright-core (which downloads no browser):
 * CHROMIUM_PATH, else Debian's `chromium` (or `chromium-browser`) on the PATH. Missing, the tests
 * fail with one line naming the package — they are never skipped.
 */
export function chromiumExecutable(): string {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen) {
    if (executable(chosen)) return chosen;
    throw oneLine(`CHROMIUM_PATH=${chosen} is not an executable file: point it at a Chromium or Chrome binary, or unset it to use Debian's chromium`);
  }
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const name of ['chromium', 'chromium-browser']) {
    const found = dirs.map((dir) => path.join(dir, name)).find(executable);
    if (found) return found;
  }
  throw oneLine('Chromium is missing: the browser tests need it. Install the Debian package `chromium` (apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary');
}

function oneLine(message: string): Error {
  const err = new Error(message);
  err.stack = message; // Jest prints the stack; the message is all there is to say
  return err;
}
