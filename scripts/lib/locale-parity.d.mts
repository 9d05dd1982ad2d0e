export interface ParityReport {
  problems: string[];
  keyCount: number;
}
export function checkLocaleParity(root: string): ParityReport;
