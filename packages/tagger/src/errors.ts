export type TaggerErrorCode =
  | 'bad_tags_csv'
  | 'bad_model'
  | 'model_mismatch'
  | 'model_missing'
  | 'unknown_model'
  | 'download_failed'
  | 'offline'
  | 'checksum_mismatch'
  | 'cancelled';

/** A failure of a whole tagging or download operation; messages are `中文 / English`. */
export class TaggerError extends Error {
  readonly code: TaggerErrorCode;
  constructor(code: TaggerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TaggerError';
    this.code = code;
  }
}
