/**
 * Spanish: plain-word steps to unblock camera and microphone, per browser (R14), with the names a browser's
 * Spanish version shows ("Permitir").
 */
import type { Guidance } from './guidance';

export const guidance: Guidance = {
  chrome: {
    name: 'Chrome',
    steps: [
      'Haga clic en el icono de la cámara o en el candado, a la izquierda de la barra de direcciones.',
      'Ponga Cámara y Micrófono en Permitir.',
      'Haga clic en Volver a intentar, más abajo. Si nada cambia, vuelva a cargar la página.',
    ],
  },
  edge: {
    name: 'Microsoft Edge',
    steps: [
      'Haga clic en el candado, a la izquierda de la barra de direcciones.',
      'En Permisos para este sitio, ponga Cámara y Micrófono en Permitir.',
      'Haga clic en Volver a intentar, más abajo. Si nada cambia, vuelva a cargar la página.',
    ],
  },
  firefox: {
    name: 'Firefox',
    steps: [
      'Haga clic en el icono tachado de la cámara o del micrófono, en la barra de direcciones.',
      'Haga clic en la X junto a Bloqueado para quitarlo.',
      'Haga clic en Volver a intentar, más abajo, y elija Permitir cuando Firefox se lo pregunte.',
    ],
  },
  'safari-ios': {
    name: 'Safari para iPhone o iPad',
    steps: [
      'Toque el botón "aA" de la barra de direcciones y luego Configuración del sitio web.',
      'Ponga Cámara y Micrófono en Permitir.',
      'Si no aparecen, abra la app Configuración, toque Safari y ponga Cámara y Micrófono en Permitir.',
      'Vuelva aquí y toque Volver a intentar.',
    ],
  },
  'safari-mac': {
    name: 'Safari para Mac',
    steps: [
      'En la barra de menús, elija Safari y luego Configuración de este sitio web.',
      'Ponga Cámara y Micrófono en Permitir.',
      'Haga clic en Volver a intentar, más abajo.',
    ],
  },
  other: {
    name: 'su navegador',
    steps: [
      'Abra la configuración del sitio desde la barra de direcciones (suele ser un candado o un icono de cámara).',
      'Permita la cámara y el micrófono para este sitio.',
      'Haga clic en Volver a intentar, más abajo. Si nada cambia, vuelva a cargar la página.',
    ],
  },
};
