import type { Language } from '@danlu/contracts';

import { say } from '../text.js';
import type { InstallAction, InstallPlan } from './plan.js';

/** Shows an argv the way a user would type it; quoting is for display only, never for spawning. */
export function displayCommand(argv: string[]): string {
  return argv
    .map((arg) => (/[\s"]/.test(arg) || arg === '' ? `"${arg.replaceAll('"', '\\"')}"` : arg))
    .join(' ');
}

function actionLines(action: InstallAction, zh: boolean): string[] {
  switch (action.kind) {
    case 'download':
      return [
        `   ${zh ? '下载' : 'download'}  ${action.urls[0] ?? ''}`,
        ...action.urls.slice(1).map((url) => `   ${zh ? '  备用' : '  fallback'}  ${url}`),
        `   ${zh ? '  保存到' : '  to'}  ${action.dest}`,
        `   ${zh ? '  校验' : '  checksum'}  ${
          action.sha256 ??
          (action.sha256SumsUrls?.length
            ? zh
              ? `sha256，对照 ${action.sha256SumsUrls.at(-1) ?? ''}`
              : `sha256 against ${action.sha256SumsUrls.at(-1) ?? ''}`
            : zh
              ? `文件格式（${action.magic ?? '?'}）与解压结果`
              : `file format (${action.magic ?? '?'}) and extraction`)
        }`,
      ];
    case 'write':
      return [`   ${zh ? '写入' : 'write'}  ${action.path}`];
    case 'extract':
      return [`   ${zh ? '解压' : 'extract'}  ${action.archive} → ${action.dest}`];
    case 'run':
      return [
        `   ${zh ? '运行' : 'run'}  ${displayCommand(action.argv)}`,
        ...(action.cwd ? [`   ${zh ? '  目录' : '  in'}  ${action.cwd}`] : []),
      ];
    case 'probe':
      return [`   ${zh ? '检测' : 'probe'}  ${action.pythonExe} (sd-scripts: ${action.sdScriptsDir})`];
  }
}

export function formatInstallPlan(plan: InstallPlan, language: Language): string {
  const zh = language === 'zh-CN';
  const gpu = { rtx50: 'RTX 50', rtx40: 'RTX 20/30/40', cpu: 'CPU' }[plan.gpu];
  const mirrored = Object.keys(plan.mirrors).length > 0;
  const lines = [
    zh
      ? `安装计划：${plan.platform === 'win32' ? 'Windows' : 'Linux'} · ${gpu} · ${mirrored ? '国内镜像' : '官方源'}`
      : `Install plan: ${plan.platform === 'win32' ? 'Windows' : 'Linux'} · ${gpu} · ${mirrored ? 'China mirrors' : 'official sources'}`,
    `${zh ? '安装到' : 'Target'}: ${plan.targetDir}`,
    '',
  ];
  plan.stages.forEach((stage, index) => {
    const mark = stage.enabled ? '' : zh ? '（已跳过）' : ' (skipped)';
    const optional = stage.optional ? (zh ? '［可选］' : ' [optional]') : '';
    lines.push(`${index + 1}. ${stage.id} — ${say(stage.title, language)}${optional}${mark}`);
    if (stage.enabled) for (const action of stage.actions) lines.push(...actionLines(action, zh));
  });
  const env = Object.entries(plan.env);
  if (env.length) {
    lines.push('', zh ? '环境变量：' : 'Environment:');
    for (const [key, value] of env) lines.push(`   ${key}=${value}`);
  }
  if (plan.notes.length) {
    lines.push('', zh ? '说明：' : 'Notes:');
    for (const note of plan.notes) lines.push(`   ${say(note, language)}`);
  }
  return lines.join('\n');
}
