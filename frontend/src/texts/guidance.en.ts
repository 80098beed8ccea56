/** English: plain-word steps to unblock camera and microphone, per browser (R14). */
import type { Guidance } from './guidance';

export const guidance: Guidance = {
  chrome: {
    name: 'Chrome',
    steps: [
      'Click the camera icon or the padlock at the left of the address bar.',
      'Set Camera and Microphone to Allow.',
      'Click Try again below. If nothing changes, reload the page.',
    ],
  },
  edge: {
    name: 'Microsoft Edge',
    steps: [
      'Click the padlock at the left of the address bar.',
      'Under Permissions for this site, set Camera and Microphone to Allow.',
      'Click Try again below. If nothing changes, reload the page.',
    ],
  },
  firefox: {
    name: 'Firefox',
    steps: [
      'Click the crossed-out camera or microphone icon in the address bar.',
      'Click the cross next to Blocked to clear it.',
      'Click Try again below and choose Allow when Firefox asks.',
    ],
  },
  'safari-ios': {
    name: 'Safari on iPhone or iPad',
    steps: [
      'Tap the "aA" button in the address bar, then Website Settings.',
      'Set Camera and Microphone to Allow.',
      'If they are not listed, open the Settings app, tap Safari, and set Camera and Microphone to Allow.',
      'Come back here and tap Try again.',
    ],
  },
  'safari-mac': {
    name: 'Safari on Mac',
    steps: [
      'In the menu bar, choose Safari, then Settings for This Website.',
      'Set Camera and Microphone to Allow.',
      'Click Try again below.',
    ],
  },
  other: {
    name: 'your browser',
    steps: [
      'Open the site settings from the address bar (often a padlock or camera icon).',
      'Allow the camera and the microphone for this site.',
      'Click Try again below. If nothing changes, reload the page.',
    ],
  },
};
