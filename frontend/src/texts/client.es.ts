/**
 * Spanish (español): every text a client can see, with the keys of `en` in client.ts (R30). Times read as a
 * Spanish speaker in the United States reads them ("10:00 a.m."); the texts avoid guessing the caregiver's
 * gender ("su cuidador o cuidadora"). Where a browser's own buttons are named, they are the names its Spanish
 * version shows ("Permitir").
 */
import type { ClientTexts, Language } from './client';

export const es: ClientTexts = {
  language: 'es' as Language,
  locale: 'es-US',
  pageTitle: 'Su visita por video',
  languageSwitch: 'Idioma',
  genericError: 'Algo salió mal. Vuelva a intentarlo.',
  networkError: 'No se puede conectar con el servicio. Revise su conexión y vuelva a intentarlo.',
  loading: 'Cargando…',
  tryAgain: 'Volver a intentar',

  // La página para entrar (R16, R19, R20, R44)
  joinWith: (agency: string) => `Visita por video con ${agency}`,
  yourCaregiver: 'Su cuidador o cuidadora',
  visitTime: 'Cuándo',
  zoneLabel: (zone: string) => `(${zone})`, // "(hora del Este)", como en el correo y el mensaje de texto
  caregiverWillJoin: 'Su cuidador o cuidadora se unirá en breve.', // R16
  checkDevices: 'Revisar la cámara y el micrófono',
  join: 'Entrar',
  joining: 'Entrando…',
  // Issue 16: muchas visitas empiezan a la vez y el servicio de video las deja entrar de a pocas.
  connecting: 'Conectando con la llamada… Muchas visitas están empezando en este momento, así que esto puede tardar un minuto. Quédese en esta página, por favor.',
  rejoin: 'Volver a entrar',
  youLeft: 'Usted salió de la llamada. Puede volver a entrar mientras dure la visita.',
  caregiverEnded: 'Su cuidador o cuidadora ha terminado la sesión. Ya puede cerrar esta página.', // R20
  linkInvalid: 'Este enlace ya no es válido. Pida una nueva invitación a su proveedor de cuidado.', // R10
  linkExpired: 'Este enlace ha vencido. Comuníquese con su proveedor de cuidado para recibir una nueva invitación.', // R13
  visitCancelled: 'Esta visita fue cancelada. Comuníquese con su proveedor de cuidado.', // R34
  closePage: 'Cerrar esta página',
  closeByHand: 'Ya puede cerrar esta pestaña o ventana.',

  // Cámara y micrófono (R14, R42: se piden solo cuando la API permitió entrar)
  devicePrompt: 'Esta llamada usa su cámara y su micrófono. Cuando el navegador se lo pregunte, elija Permitir.',
  devicesReady: 'Su cámara y su micrófono funcionan. Ya puede entrar a la llamada.',
  devicesBlockedTitle: 'Su cámara o su micrófono están bloqueados',
  inBrowser: (browser: string) => `En ${browser}:`,
  noDevices: 'No se encontró ninguna cámara ni micrófono. Conecte uno y vuelva a intentarlo.',
  deviceInUse: 'Otra aplicación está usando su cámara o su micrófono. Ciérrela y vuelva a intentarlo.',
  micLevel: 'Nivel del micrófono',

  // La llamada (R16, R18)
  selfView: 'Su video',
  remoteView: 'Video de su cuidador o cuidadora',
  mute: 'Silenciar',
  unmute: 'Activar micrófono',
  cameraOff: 'Apagar cámara',
  cameraOn: 'Encender cámara',
  switchCamera: 'Cambiar cámara',
  hangUp: 'Colgar',
  fullscreen: 'Pantalla completa',
  exitFullscreen: 'Salir de pantalla completa',
  callControls: 'Controles de la llamada',
  turnOnSound: 'Activar el sonido',
  noOtherCamera: 'No hay otra cámara a la que cambiar.',
  reconnecting: 'Se cortó la conexión. Volviendo a conectar…',
};
