/** Where the repository's own fixtures and the optional ../shared data live. */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const FIXTURE_PAGES_DIR = fileURLToPath(new URL("../../../test/fixtures/pages/", import.meta.url));

/** The shared data set beside the repository (CI always has it; a user's clone may not). */
export function sharedDir(): string | undefined {
  const dir = process.env.TIDINGS_SHARED_DIR ?? fileURLToPath(new URL("../../../../shared/", import.meta.url));
  return existsSync(dir) ? dir : undefined;
}
