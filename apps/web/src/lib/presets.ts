import { parsePreset, type Preset } from '@danlu/params';

/** The built-in presets (resources/presets/*.toml), bundled as text at build time. */
const files = import.meta.glob<string>('../../../../resources/presets/*.toml', {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** Parse preset files; a broken one is left out (its own test in @danlu/params keeps them valid). */
export function loadPresets(texts: Record<string, string>): Preset[] {
  const out: Preset[] = [];
  for (const path of Object.keys(texts).sort()) {
    const text = texts[path];
    if (text === undefined) continue;
    const parsed = parsePreset(text);
    if (parsed.ok) out.push(parsed.preset);
  }
  const familyOrder = { sd1: 0, sd2: 1, sdxl: 2 } as const;
  return out.sort((a, b) => familyOrder[a.meta.family] - familyOrder[b.meta.family]);
}

export const builtInPresets: readonly Preset[] = Object.freeze(loadPresets(files));

export function findPreset(id: string | null): Preset | undefined {
  return id === null ? undefined : builtInPresets.find((preset) => preset.meta.id === id);
}
