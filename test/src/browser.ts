/**
 * A headless Chromium for browser tests: Debian's `chromium` driven by playwright-core (which
 * downloads no browser of its own). When it is missing and we run as root, it is installed with
 * apt-get (after `apt-get update` if the package list is missing or stale).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM_PATH = process.env.TIDINGS_CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

function apt(args: string[]): void {
  execFileSync("apt-get", args, {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    timeout: 15 * 60_000,
  });
}

/** Make sure Chromium is there; install it with apt-get when missing and running as root. */
export function ensureChromium(log: (m: string) => void = (m) => console.log(`[browser] ${m}`)): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (typeof process.getuid !== "function" || process.getuid() !== 0) {
    throw new Error(`${CHROMIUM_PATH} is missing and this is not root: install it with \`sudo apt-get install -y chromium\``);
  }
  log("installing Debian's chromium (apt-get install -y chromium)");
  try {
    apt(["install", "-y", "--no-install-recommends", "chromium"]);
  } catch {
    log("install failed; refreshing the package lists (apt-get update) and trying again");
    apt(["update"]);
    apt(["install", "-y", "--no-install-recommends", "chromium"]);
  }
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is not there`);
  return CHROMIUM_PATH;
}

/**
 * Pages show Chinese, Japanese and Korean text: without a CJK font screenshots show boxes.
 * Best effort (screenshots only): installs the small WenQuanYi Zen Hei font when root.
 */
export function ensureCjkFont(log: (m: string) => void = (m) => console.log(`[browser] ${m}`)): void {
  try {
    if (execFileSync("fc-list", [":lang=zh", "family"], { encoding: "utf8" }).trim() !== "") return;
  } catch {
    // no fontconfig tools: chromium's package brings them; try the install below
  }
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return;
  try {
    log("installing a CJK font for screenshots (apt-get install -y fonts-wqy-zenhei)");
    try {
      apt(["install", "-y", "--no-install-recommends", "fonts-wqy-zenhei"]);
    } catch {
      apt(["update"]);
      apt(["install", "-y", "--no-install-recommends", "fonts-wqy-zenhei"]);
    }
  } catch (err) {
    log(`no CJK font (${(err as Error).message.split("\n")[0]}): screenshots show boxes for CJK text`);
  }
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = ensureChromium();
  ensureCjkFont();
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
}
