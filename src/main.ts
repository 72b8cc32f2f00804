/** The GitHub Action entry point (`runs.main: dist/index.js`). */
import { runAction } from './github/action.js';

await runAction();
