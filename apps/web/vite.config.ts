import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';

/** Third-party code in a few stable chunks, so an app change does not re-download the libraries. */
function vendorChunk(id: string): string | undefined {
  if (!id.includes('node_modules')) return undefined;
  if (/[\\/](@mui|@emotion|@popperjs|react-transition-group|stylis)[\\/]/.test(id)) return 'mui';
  if (/[\\/](i18next|react-i18next)[\\/]/.test(id)) return 'i18n';
  if (/[\\/](react|react-dom|scheduler)[\\/]/.test(id)) return 'react';
  return 'vendor';
}

// `pnpm --filter @danlu/web dev` talks to a running `danlu serve` (port DANLU_API_PORT, default 4756). The
// server only accepts its own origin, so the proxy presents that one. The dev server already allows the
// workspace root (pnpm-workspace.yaml), so ../../locales is served.
export default defineConfig(({ mode }) => {
  const apiPort = loadEnv(mode, '.', 'DANLU_')['DANLU_API_PORT'] ?? '4756';
  const api = `http://127.0.0.1:${apiPort}`;
  return {
    plugins: [react()],
    // Relative asset URLs: the same build is served from http://host/ (danlu serve) and app:// (Electron).
    base: './',
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      target: 'es2022',
      // The CSP is `script-src 'self'`: no inline bootstrap code, every chunk is a file.
      modulePreload: { polyfill: false },
      assetsInlineLimit: 0,
      rollupOptions: {
        output: { manualChunks: vendorChunk },
        onwarn(warning, warn) {
          // zod's sources carry esbuild-style comments that Rollup cannot place; they are harmless.
          if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
          warn(warning);
        },
      },
    },
    server: {
      host: '127.0.0.1',
      proxy: { '/api': { target: api, ws: true, changeOrigin: true, headers: { origin: api } } },
    },
  };
});
