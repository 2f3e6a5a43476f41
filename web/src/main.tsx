/** The newsroom web app's entry: the dashboard and the desk over the tracker's API. */
import './styles.css';
import { render } from 'preact';
import { App } from './views/App.tsx';

const root = document.getElementById('app');
if (root !== null) {
  root.replaceChildren();
  render(<App />, root);
}
