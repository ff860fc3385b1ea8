import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';
import { listen } from '../support/api-client';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Swagger UI (5.33+) virtualizes the operation list once tags plus operations reach 150: only what is near the
 * viewport is in the DOM. A reader scrolls to an operation; so does this test.
 */
async function scrollUntilAttached(page: Page, selector: string): Promise<void> {
  for (let step = 0; step < 200; step++) {
    if ((await page.locator(selector).count()) > 0) return;
    // A string, not a function: the test project compiles without the DOM typings.
    const atBottom = await page.evaluate<boolean>(
      'window.scrollBy(0, window.innerHeight / 2), window.innerHeight + window.scrollY >= document.body.scrollHeight - 1',
    );
    await page.waitForTimeout(50);
    if (atBottom && (await page.locator(selector).count()) === 0) break;
  }
  throw new Error(`${selector} never appeared while scrolling /docs`);
}

/** What a reader of /docs sees: the token survives a reload, examples instead of "string" placeholders, the webhooks. */
describe('Swagger UI at /docs (e2e, headless Chromium)', () => {
  let t: TestApp;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp();
    origin = await listen(t);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('keeps the token pasted into Authorize across a reload, and shows real examples and the webhooks', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(10000);
    await page.goto(`${origin}/docs`);
    await page.waitForSelector('.opblock-tag', { timeout: 20000 });
    await page.getByRole('button', { name: 'Authorize' }).first().click();
    await page.locator('.auth-container input[type=text], .auth-container input[type=password]').first().fill('ck_test_example');
    await page.locator('.modal-ux .auth-btn-wrapper button.authorize').first().click();
    await page.locator('.modal-ux button.btn-done').first().click();

    await page.reload();
    const stored = await page.evaluate(() => localStorage.getItem('authorized'));
    expect(stored).toContain('ck_test_example');

    // The request body of "Create a product" shows the recorded example, not generated placeholders.
    await scrollUntilAttached(page, '#operations-Catalog-createProduct');
    const operation = page.locator('#operations-Catalog-createProduct');
    await operation.locator('.opblock-summary').click();
    await expect(operation.locator('.body-param__example, .microlight').first().textContent()).resolves.toContain('"sku"');
    expect(await operation.textContent()).not.toContain('"string"');
    await scrollUntilAttached(page, '.opblock-tag[data-tag="Webhooks"]');
    expect(await page.textContent('body')).toContain('order.created');
    await page.close();
  }, 90000);
});
