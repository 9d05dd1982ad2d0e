import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh folder for one test, named with Chinese characters and spaces on purpose: every path Danlu
 * handles must survive both. Removed by the returned cleanup.
 */
export async function makeTempDir(label = 'danlu'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `${label} 测试 `));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
