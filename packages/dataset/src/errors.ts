/** Failures of a whole operation (a bad file never throws; it becomes a finding). */
export type DatasetErrorCode =
  'not_a_folder' | 'out_inside_source' | 'out_not_empty' | 'out_unwritable' | 'bad_size' | 'no_backup';

export class DatasetError extends Error {
  readonly code: DatasetErrorCode;
  constructor(code: DatasetErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatasetError';
    this.code = code;
  }
}
