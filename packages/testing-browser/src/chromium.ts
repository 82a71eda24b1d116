import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Debian's chromium (`apt-get install chromium`); never a browser playwright downloads. */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
/** What a skipped browser suite says instead of running. */
export const NO_CHROMIUM = `skipped: ${CHROMIUM} not found; run bash scripts/setup-webgpu.sh --browser`;

/** Headless, offline, no first-run or background traffic (the machine reaches only npm and apt). */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--headless',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface LaunchOptions {
  /** Expose navigator.gpu (WebGPU on SwiftShader): `--enable-unsafe-webgpu`. */
  webgpu?: boolean;
}

export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  const args = options.webgpu ? [...CHROMIUM_FLAGS, '--enable-unsafe-webgpu'] : [...CHROMIUM_FLAGS];
  return chromium.launch({ executablePath: CHROMIUM, args, headless: true });
}
