import type { Text } from './types';

/** Why a file could not be read. Nothing of a failed file is applied. */
export interface ParseFailure {
  code: 'syntax' | 'shape' | 'value' | 'format';
  message: Text;
  line?: number;
  column?: number;
  key?: string;
}

export interface Notice {
  /** The key (or table) the notice is about. */
  key: string;
  text: Text;
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

interface TomlErrorLike {
  line?: unknown;
  column?: unknown;
  message?: unknown;
}

/** Turn a smol-toml (or JSON) error into a bilingual failure naming the line. */
export function syntaxFailure(err: unknown, format: 'TOML' | 'JSON', text: string): ParseFailure {
  const e = (typeof err === 'object' && err !== null ? err : {}) as TomlErrorLike;
  let line = typeof e.line === 'number' ? e.line : undefined;
  let column = typeof e.column === 'number' ? e.column : undefined;
  const raw = typeof e.message === 'string' ? (e.message.split('\n')[0] ?? '') : String(err);
  if (line === undefined && format === 'JSON') {
    const m = /position (\d+)/.exec(raw);
    if (m?.[1] !== undefined) {
      const before = text.slice(0, Number(m[1]));
      line = before.split('\n').length;
      column = before.length - before.lastIndexOf('\n');
    }
    const lc = /line (\d+) column (\d+)/.exec(raw);
    if (lc?.[1] !== undefined && lc[2] !== undefined) {
      line = Number(lc[1]);
      column = Number(lc[2]);
    }
  }
  const where = line !== undefined ? { zh: `第 ${line} 行`, en: `line ${line}` } : { zh: '', en: '' };
  return {
    code: 'syntax',
    line,
    column,
    message: {
      zh: `${format} 格式错误${where.zh ? `（${where.zh}）` : ''}：${raw}`,
      en: `Malformed ${format}${where.en ? ` (${where.en})` : ''}: ${raw}`,
    },
  };
}
