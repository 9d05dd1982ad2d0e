import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ProviderCandidate {
  name: 'cuda' | 'dml' | 'coreml' | 'cpu';
  options?: { name: string; deviceId?: number };
}

/** Where onnxruntime-node keeps its native libraries for this platform. */
function bindingDir(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const pkg = dirname(require.resolve('onnxruntime-node/package.json'));
    return join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return undefined;
  }
}

/**
 * The execution providers worth trying here, fastest first, always ending with the CPU. A provider that
 * is present but cannot start makes session creation throw (no built-in fallback), so the worker tries
 * them one by one. Windows has DirectML in the prebuilt binary; Linux x64 has CUDA only when its
 * provider libraries were installed next to the binding (and CUDA 12 + cuDNN 9 exist on the system).
 */
export function providerCandidates(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
  hasFile: (path: string) => boolean = existsSync,
): ProviderCandidate[] {
  const out: ProviderCandidate[] = [];
  if (platform === 'win32') out.push({ name: 'dml', options: { name: 'dml', deviceId: 0 } });
  if (platform === 'linux' && arch === 'x64') {
    const dir = bindingDir();
    if (dir && hasFile(join(dir, 'libonnxruntime_providers_cuda.so')))
      out.push({ name: 'cuda', options: { name: 'cuda', deviceId: 0 } });
  }
  out.push({ name: 'cpu' });
  return out;
}

/** Parses a user's choice (`auto`, `cpu`, `cuda`, `dml`, or a comma list) into candidates. */
export function parseProviders(choice: string | undefined): ProviderCandidate[] {
  if (choice === undefined || choice === '' || choice === 'auto') return providerCandidates();
  const names = choice
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is ProviderCandidate['name'] => ['cuda', 'dml', 'coreml', 'cpu'].includes(s));
  const out: ProviderCandidate[] = names.map((name) =>
    name === 'cpu' ? { name } : { name, options: { name } },
  );
  if (!out.some((c) => c.name === 'cpu')) out.push({ name: 'cpu' });
  return out;
}
