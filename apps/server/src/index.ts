export * from './listen.js';
export * from './openBrowser.js';
export * from './security.js';
export * from './serveCommand.js';
export * from './server.js';
export * from './staticFiles.js';
