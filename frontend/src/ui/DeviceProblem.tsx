/** What to do when the camera or microphone cannot be opened: plain words, for the browser in use (R14). */
import type { DeviceProblem } from '../media/devices';
import type { ClientTexts } from '../texts/client';
import { currentBrowser } from './browser';

export function DeviceProblemView({ problem, texts, onRetry }: { problem: DeviceProblem; texts: ClientTexts; onRetry(): void }) {
  const retry = (
    <button type="button" class="btn btn-primary btn-large" onClick={onRetry}>
      {texts.tryAgain}
    </button>
  );
  if (problem === 'missing' || problem === 'in-use') {
    return (
      <section class="guidance" role="alert" data-testid="device-guidance">
        <p>{problem === 'missing' ? texts.noDevices : texts.deviceInUse}</p>
        {retry}
      </section>
    );
  }
  const browser = currentBrowser();
  const guide = texts.guidance[browser];
  return (
    <section class="guidance" role="alert" data-testid="device-guidance" data-browser={browser}>
      <h2>{texts.devicesBlockedTitle}</h2>
      <p>{texts.inBrowser(guide.name)}</p>
      <ol>
        {guide.steps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      {retry}
    </section>
  );
}
