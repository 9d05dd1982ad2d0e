/**
 * The common problems the page explains, in the order a user meets them most. The ids follow the
 * engine's failure catalogue (`failureCodes` in @danlu/contracts) where one exists, plus a few
 * environment causes the catalogue files under other codes; the texts live in
 * `locales/<lang>/environment.json` under `trouble.problems.items.<id>`.
 */
export const problemIds = [
  'cuda_oom',
  'nan_loss',
  'missing_module',
  'no_data',
  'bad_folder_name',
  'wrong_model_family',
  'model_load_failed',
  'tokenizer_download',
  'cpu_torch',
  'bf16_unsupported',
  'disk_full',
  'killed',
  'stuck',
  'sample_failed',
  'no_model_saved',
  'engine_missing',
  'dataset_config',
  'python_error',
] as const;
export type ProblemId = (typeof problemIds)[number];

export interface ProblemText {
  id: ProblemId;
  title: string;
  symptom: string;
  meaning: string;
  remedy: string;
}

/** Lower-cases and folds runs of spaces and punctuation so "No module named" matches "no_module named". */
function fold(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\s_\-'"`.,:;()[\]/]+/g, ' ')
    .trim();
}

/**
 * The pieces of a symptom a pasted log line would contain: the alternatives split at " / ", cut where
 * the text stands for something variable ("…", a quoted name).
 */
function symptomPieces(symptom: string): string[] {
  return symptom
    .split(/ \/ |…|'[^']*'/)
    .map(fold)
    .filter((piece) => piece.length >= 6);
}

/**
 * The problems that explain a query: those whose texts contain every word of it (in any field, any
 * order), or whose log symptom appears inside it, so a whole pasted log line
 * ("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate…") finds its entry too.
 */
export function filterProblems(problems: readonly ProblemText[], query: string): ProblemText[] {
  const folded = fold(query);
  const words = folded.split(' ').filter(Boolean);
  if (words.length === 0) return [...problems];
  return problems.filter((problem) => {
    const haystack = fold(
      [problem.id, problem.title, problem.symptom, problem.meaning, problem.remedy].join(' '),
    );
    if (words.every((word) => haystack.includes(word))) return true;
    return symptomPieces(problem.symptom).some((piece) => folded.includes(piece));
  });
}
