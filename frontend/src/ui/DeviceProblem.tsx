/**
 * The camera and microphone step both call pages show once the API allowed the join (R42): the prompt
 * while the browser asks, and, when they cannot be opened, what to do in plain words for the browser in
 * use, with "Try again" (R14).
 */
import type { DeviceProblem } from '../media/devices';
import type { ClientTexts } from '../texts/client';
import type { Guidance as GuidanceTable } from '../texts/guidance';
import { currentBrowser } from './browser';

interface StepProps {
  texts: ClientTexts;
  /** The steps for each browser in the page's language (texts/guidance.ts), null while they load. */
  guidance: GuidanceTable | null;
  onRetry(): void;
}

function Guidance({ problem, texts, guidance, onRetry }: StepProps & { problem: DeviceProblem }) {
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
  const guide = guidance?.[browser];
  return (
    <section class="guidance" role="alert" data-testid="device-guidance" data-browser={browser}>
      <h2>{texts.devicesBlockedTitle}</h2>
      {guide && (
        <>
          <p>{texts.inBrowser(guide.name)}</p>
          <ol>
            {guide.steps.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
        </>
      )}
      {retry}
    </section>
  );
}

/** `problem` null: the browser is asking; otherwise the guidance for it. */
export function DeviceStep({ problem, texts, guidance, onRetry }: StepProps & { problem: DeviceProblem | null }) {
  if (problem === null) {
    return (
      <p class="prompt" role="status" data-testid="device-prompt">
        {texts.devicePrompt}
      </p>
    );
  }
  return (
    <>
      <p class="prompt">{texts.devicePrompt}</p>
      <Guidance problem={problem} texts={texts} guidance={guidance} onRetry={onRetry} />
    </>
  );
}
