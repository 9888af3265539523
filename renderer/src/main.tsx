import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { startI18n } from './i18n';
import { useApp } from './stores/app-store';
import './styles.css';

const render = () =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
// The first paint is in the user's language (each loads on demand); English if that fails. Meanwhile the engine's
// start-up (event stream, settings) runs: it needs no strings, and the first render finds it done or under way.
const strings = startI18n();
void useApp.getState().init(strings.catch(() => undefined));
void strings.then(render, render);
