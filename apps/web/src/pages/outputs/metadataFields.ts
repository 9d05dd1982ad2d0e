/** The fields a user looks for first, read from kohya's ss_* keys (absent ones are left out). */
export interface KeyField {
  id:
    | 'baseModel'
    | 'network'
    | 'dimAlpha'
    | 'resolution'
    | 'epochs'
    | 'steps'
    | 'outputName'
    | 'lr'
    | 'images'
    | 'trainedAt';
  value: string;
}

function shortModelName(value: string): string {
  const parts = value.split(/[\\/]/);
  return parts.at(-1) ?? value;
}

function epochTime(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  return new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 16);
}

export function keyFields(metadata: Readonly<Record<string, string>>): KeyField[] {
  const m = (key: string) => {
    const value = metadata[key];
    return value === undefined || value === '' || value === 'None' ? undefined : value;
  };
  const dim = m('ss_network_dim');
  const alpha = m('ss_network_alpha');
  const lrs = [m('ss_unet_lr'), m('ss_text_encoder_lr')].filter((v): v is string => v !== undefined);
  const fields: [KeyField['id'], string | undefined][] = [
    [
      'baseModel',
      m('ss_sd_model_name') ? shortModelName(m('ss_sd_model_name') ?? '') : m('modelspec.architecture'),
    ],
    ['network', m('ss_network_module')],
    ['dimAlpha', dim !== undefined || alpha !== undefined ? `${dim ?? '—'} / ${alpha ?? '—'}` : undefined],
    ['resolution', m('ss_resolution') ?? m('modelspec.resolution')],
    [
      'epochs',
      m('ss_epoch') !== undefined && m('ss_num_epochs') !== undefined
        ? `${m('ss_epoch') ?? ''} / ${m('ss_num_epochs') ?? ''}`
        : (m('ss_epoch') ?? m('ss_num_epochs')),
    ],
    ['steps', m('ss_steps') ?? m('ss_max_train_steps')],
    ['outputName', m('ss_output_name')],
    ['lr', lrs.length > 0 ? lrs.join(' / ') : m('ss_learning_rate')],
    ['images', m('ss_num_train_images')],
    ['trainedAt', epochTime(m('ss_training_finished_at') ?? m('ss_training_started_at'))],
  ];
  return fields
    .filter((f): f is [KeyField['id'], string] => f[1] !== undefined)
    .map(([id, value]) => ({ id, value }));
}

/**
 * kohya writes JSON values with Python's json.dumps, which escapes every non-ASCII character
 * (`"2_\u89d2\u8272 alice"`); re-encoded they read as the user's own folder names.
 */
export function readableValue(value: string): string {
  const start = value.trimStart()[0];
  if (start !== '{' && start !== '[') return value;
  try {
    return JSON.stringify(JSON.parse(value));
  } catch {
    return value;
  }
}

/** All keys, ss_* first, filtered by key or value (case-insensitive), JSON values made readable. */
export function filterMetadata(
  metadata: Readonly<Record<string, string>>,
  query: string,
): [string, string][] {
  const q = query.trim().toLowerCase();
  return Object.entries(metadata)
    .map(([key, value]): [string, string] => [key, readableValue(value)])
    .filter(([key, value]) => q === '' || key.toLowerCase().includes(q) || value.toLowerCase().includes(q))
    .sort(([a], [b]) => Number(!a.startsWith('ss_')) - Number(!b.startsWith('ss_')) || a.localeCompare(b));
}
