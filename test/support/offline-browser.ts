// Headless Chromium (Debian's, through playwright-core: no browser download)
// that lets a page reach only one local origin: every other request is
// aborted and recorded, so a test can assert that a page loads nothing from
// the network. FARMSCOPE_CHROMIUM overrides the browser's path.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.FARMSCOPE_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface OfflineBrowser {
  context: BrowserContext;
  /** Requests to anything but the allowed origin (or file: URLs), aborted. */
  blocked: string[];
  close(): Promise<void>;
}

export async function openOfflineBrowser(allowedOrigin: string): Promise<OfflineBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium package (or run node scripts/ensure-chromium.mjs), or set FARMSCOPE_CHROMIUM`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'farmscope-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(allowedOrigin) || url.startsWith('file:') || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  return {
    context,
    blocked,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
