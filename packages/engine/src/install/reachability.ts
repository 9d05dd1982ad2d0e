import { chinaMirrors } from './mirrors.js';

/** One source checked: reachable or not, how fast, and why not. */
export interface SourceCheck {
  id: string;
  url: string;
  ok: boolean;
  status: number | null;
  ms: number | null;
  error?: string;
}

/** The sources an install needs, as the official / China pairs the reachability test compares. */
export function sourcesToCheck(): {
  official: { id: string; url: string }[];
  cn: { id: string; url: string }[];
} {
  return {
    official: [
      { id: 'pypi', url: 'https://pypi.org/simple/pip/' },
      { id: 'torch', url: 'https://download.pytorch.org/whl/' },
      { id: 'github', url: 'https://github.com/' },
      { id: 'hf', url: 'https://huggingface.co/' },
    ],
    cn: [
      { id: 'pypi', url: `${(chinaMirrors.pypiIndex ?? '').replace(/\/?$/, '/')}pip/` },
      { id: 'torch', url: (chinaMirrors.torchFindLinks ?? '').replaceAll('{flavour}', 'cu128') },
      { id: 'github', url: chinaMirrors.githubProxy ?? '' },
      { id: 'hf', url: chinaMirrors.hfEndpoint ?? '' },
    ],
  };
}

/**
 * Asks one URL for its headers (HEAD, or a 1-byte GET where HEAD is refused) within `timeoutMs`. Any
 * HTTP answer below 500 counts as reachable: a 403 or 404 still proves the host answers quickly.
 */
export async function checkSource(
  id: string,
  url: string,
  options: { timeoutMs?: number; fetchImpl?: typeof fetch } = {},
): Promise<SourceCheck> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const started = Date.now();
  const ask = async (method: 'HEAD' | 'GET') => {
    const response = await fetchImpl(url, {
      method,
      redirect: 'follow',
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      headers: method === 'GET' ? { Range: 'bytes=0-0', 'User-Agent': 'Danlu' } : { 'User-Agent': 'Danlu' },
    });
    await response.body?.cancel();
    return response.status;
  };
  try {
    let status = await ask('HEAD');
    if (status === 405 || status === 501) status = await ask('GET');
    return { id, url, ok: status < 500, status, ms: Date.now() - started };
  } catch (error) {
    const name = (error as { name?: string }).name;
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return {
      id,
      url,
      ok: false,
      status: null,
      ms: null,
      error:
        name === 'TimeoutError'
          ? 'timeout'
          : (cause ?? (error instanceof Error ? error.message : String(error))),
    };
  }
}

export interface ReachabilityReport {
  official: SourceCheck[];
  cn: SourceCheck[];
  /** Which preset to use: China mirrors when an official source fails or is much slower. */
  suggestion: 'official' | 'cn';
}

/** Official sources slower than this (ms) count as "slow" for the suggestion. */
const slowMs = 2500;

export function suggestMirror(official: SourceCheck[], cn: SourceCheck[]): 'official' | 'cn' {
  const cnOk = cn.filter((check) => check.ok).length >= Math.ceil(cn.length / 2);
  const officialBad = official.some((check) => !check.ok || (check.ms ?? 0) > slowMs);
  return officialBad && cnOk ? 'cn' : 'official';
}

/** Checks every official source and every China mirror at once; never throws. */
export async function checkReachability(
  options: {
    timeoutMs?: number;
    fetchImpl?: typeof fetch;
    sources?: ReturnType<typeof sourcesToCheck>;
  } = {},
): Promise<ReachabilityReport> {
  const sources = options.sources ?? sourcesToCheck();
  const run = (list: { id: string; url: string }[]) =>
    Promise.all(list.map(({ id, url }) => checkSource(id, url, options)));
  const [official, cn] = await Promise.all([run(sources.official), run(sources.cn)]);
  return { official, cn, suggestion: suggestMirror(official, cn) };
}
