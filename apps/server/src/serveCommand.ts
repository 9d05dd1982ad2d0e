import { createBackend } from '@danlu/backend';
import type { CliCommand, CliIo } from '@danlu/node-utils';

import { openBrowser } from './openBrowser.js';
import { defaultPort, startDanluServer, type RunningServer } from './server.js';

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return defaultPort;
  const port = Number(text);
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined;
}

function announce(server: RunningServer, io: CliIo, json: boolean): void {
  const zh = io.language === 'zh-CN';
  if (json) {
    io.out(
      JSON.stringify({
        url: server.url,
        openUrl: server.openUrl,
        host: server.host,
        port: server.port,
        requestedPort: server.requestedPort,
        busyPorts: server.busyPorts,
        tokenRequired: server.token !== undefined,
        webRootFound: server.webRootFound,
      }),
    );
    return;
  }
  if (server.busyPorts.length > 0) {
    io.out(
      zh
        ? `端口 ${server.busyPorts.join('、')} 已被占用，改用端口 ${server.port}。`
        : `Port ${server.busyPorts.join(', ')} is in use; using port ${server.port} instead.`,
    );
  }
  io.out(zh ? `丹炉已启动：${server.openUrl}` : `Danlu is running at ${server.openUrl}`);
  if (server.token) {
    io.out(
      zh
        ? `正在监听 ${server.host}，访问需要令牌（已包含在上面的链接里，只显示这一次）。`
        : `Listening on ${server.host}; access needs the token (it is in the link above and is shown only once).`,
    );
  }
  if (!server.webRootFound) {
    io.err(
      zh
        ? '界面尚未构建：请运行 pnpm --filter @danlu/web build。API 已可用。'
        : 'The UI is not built yet: run pnpm --filter @danlu/web build. The API is available.',
    );
  }
  io.out(zh ? '按 Ctrl+C 停止。' : 'Press Ctrl+C to stop.');
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: {
    'zh-CN': '以浏览器模式启动丹炉（本机或云端 GPU 服务器）',
    en: 'Run Danlu in the browser (this machine or a cloud GPU box)',
  },
  options: {
    host: {
      type: 'string',
      valueName: 'host',
      description: {
        'zh-CN': '监听地址，默认 127.0.0.1；0.0.0.0 对外开放并要求令牌',
        en: 'Address to listen on, default 127.0.0.1; 0.0.0.0 opens it up and requires a token',
      },
    },
    port: {
      type: 'string',
      valueName: 'port',
      description: {
        'zh-CN': `端口，默认 ${defaultPort}；被占用时自动换下一个`,
        en: `Port, default ${defaultPort}; the next free one is used when it is taken`,
      },
    },
    token: {
      type: 'string',
      valueName: 'token',
      description: { 'zh-CN': '指定访问令牌（默认随机生成）', en: 'Access token to use (random by default)' },
    },
    open: {
      type: 'boolean',
      description: { 'zh-CN': '启动后打开浏览器', en: 'Open the browser once started' },
    },
    json: {
      type: 'boolean',
      description: { 'zh-CN': '以 JSON 输出启动信息', en: 'Print start-up details as JSON' },
    },
  },
  async run({ values }, io) {
    const zh = io.language === 'zh-CN';
    const port = parsePort(values['port'] as string | undefined);
    if (port === undefined) {
      io.err(
        zh
          ? `无效的端口：${String(values['port'])}（应为 0–65535）`
          : `Invalid port: ${String(values['port'])} (expected 0–65535)`,
      );
      return 2;
    }
    const token = values['token'] as string | undefined;
    if (token !== undefined && token.length < 16) {
      io.err(zh ? '令牌太短：至少 16 个字符。' : 'Token too short: use at least 16 characters.');
      return 2;
    }
    const backend = await createBackend({
      dataDir: io.dataDir,
      transport: 'server',
      systemLocale: io.language,
      onInternalError: (error) => {
        io.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
      },
    });
    const server = await startDanluServer({
      backend,
      host: (values['host'] as string | undefined) ?? '127.0.0.1',
      port,
      ...(token ? { token } : {}),
    });
    announce(server, io, values['json'] === true);
    if (values['open'] === true && !(await openBrowser(server.openUrl))) {
      io.err(
        zh
          ? '无法自动打开浏览器，请手动打开上面的链接。'
          : 'Could not open a browser; open the link above yourself.',
      );
    }
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        // Domains stop their watchers and workers; training runs keep going (they outlive the app).
        void server
          .close()
          .then(() => backend.close())
          .then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  },
};

export const serverCommands: CliCommand[] = [serveCommand];
