/** Entry point: styles, then the app on `#app`. */
import './styles/base.css';
import './shell/shell.css';
import { App } from './app.js';

const root = document.getElementById('app');
if (root === null) throw new Error('index.html has no #app element');

function localStorageOrUndefined(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

new App({
  root,
  location: window.location,
  history: window.history,
  storage: localStorageOrUndefined(),
}).start();
