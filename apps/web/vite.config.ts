import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Third-party code in a few stable chunks, so an app change does not re-download the libraries. */
function vendorChunk(id: string): string | undefined {
  if (!id.includes('node_modules')) return undefined;
  if (/[\\/](@mui|@emotion|@popperjs|react-transition-group|stylis)[\\/]/.test(id)) return 'mui';
  if (/[\\/](i18next|react-i18next)[\\/]/.test(id)) return 'i18n';
  if (/[\\/](react|react-dom|scheduler)[\\/]/.test(id)) return 'react';
  return 'vendor';
}

// The dev server already allows the workspace root (pnpm-workspace.yaml), so ../../locales is served.
export default defineConfig({
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
});
