export { main } from './main.js';
export { allCommands } from './commands.js';
