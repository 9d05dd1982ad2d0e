import { describe, expect, it } from 'vitest';

import { decodeText } from './decodeText.js';

describe('decodeText', () => {
  const sample = 'output_name = "角色 v1"\r\n';
  it('reads UTF-8 with and without a BOM', () => {
    expect(decodeText(Buffer.from(sample))).toEqual({ text: sample, encoding: 'utf-8' });
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(sample)]))).toEqual({
      text: sample,
      encoding: 'utf-8',
    });
  });

  it('reads UTF-16 with a BOM', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sample, 'utf16le')])).text).toBe(
      sample,
    );
  });

  it('falls back to GBK for files saved by Chinese Windows tools', () => {
    // "角色" in GBK.
    const gbk = Buffer.from([0xbd, 0xc7, 0xc9, 0xab]);
    expect(decodeText(gbk)).toEqual({ text: '角色', encoding: 'gb18030' });
  });
});
