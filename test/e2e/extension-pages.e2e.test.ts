/**
 * The extension's own pages in real Chromium, talking to the real background: the options page and the
 * toolbar popup. Zero axe violations, targets of at least 24×24 px, and a keyboard path through them.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeScan, smallTargets } from './axe';
import { launchExtension, type ExtensionHarness } from './harness';

let h: ExtensionHarness;
beforeAll(async () => {
  h = await launchExtension();
});
afterAll(async () => {
  await h?.close();
});

async function open(path: string): Promise<Page> {
  const page = await h.context.newPage();
  await page.goto(`chrome-extension://${h.extensionId}/${path}`);
  return page;
}

describe('options page (real Chromium)', () => {
  it('loads the team settings from the background, is axe-clean, and its targets are at least 24×24 px', async () => {
    const page = await open('options.html');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('region', { name: /CRM connections/i }).waitFor();
    await page.getByRole('textbox', { name: /settings|configuration/i }).first().waitFor();
    expect(await axeScan(page)).toEqual([]);
    expect(await smallTargets(page.mainFrame())).toEqual([]);
    await page.close();
  });

  it('refuses a broken configuration with field-named errors and keeps the text', async () => {
    const page = await open('options.html');
    const editor = page.getByRole('textbox', { name: /settings|configuration/i }).first();
    await editor.waitFor();
    const text = await editor.inputValue();
    const broken = text.replace(/"sqlReady": \d+/, '"sqlReady": 500');
    expect(broken).not.toBe(text);
    await editor.fill(broken);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/thresholds\.sqlReady/);
    await expect(editor.inputValue()).resolves.toBe(broken);
    await page.close();
  });

  it('saves the rep’s name and email by keyboard alone', async () => {
    const page = await open('options.html');
    const name = page.getByRole('textbox', { name: 'Name', exact: true });
    await name.waitFor();
    await name.focus();
    await page.keyboard.type('Sam Rep');
    await page.keyboard.press('Tab');
    await page.keyboard.type('sam.rep@ourco.example');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: /saved/i }).first().waitFor();
    await page.reload();
    await expect(page.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).resolves.toBe('Sam Rep');
    await page.close();
  });
});

describe('toolbar popup (real Chromium)', () => {
  it('shows the sync state and the way to the dashboard and options, axe-clean', async () => {
    const page = await open('popup.html');
    await page.getByRole('button', { name: /dashboard/i }).waitFor();
    await page.getByRole('button', { name: /options/i }).waitFor();
    expect(await axeScan(page)).toEqual([]);
    expect(await smallTargets(page.mainFrame())).toEqual([]);
    await page.close();
  });
});
