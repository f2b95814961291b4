import type { LivenessMessages } from './types';

export const es: LivenessMessages = {
  startTitle: 'Comprobemos que eres tú',
  startIntro: 'Usaremos tu cámara unos segundos para confirmar que hay una persona real delante.',
  tipLight: 'Busca un lugar bien iluminado y ponte de cara a la luz.',
  tipAccessories: 'Quítate las gafas de sol, la mascarilla o el sombrero.',
  tipDistance: 'Sostén el dispositivo con el brazo extendido y acércate cuando se te pida llenar el óvalo.',
  tipFlashes:
    'La pantalla mostrará destellos de colores: si eres sensible a las luces intermitentes, pide otra forma de verificación.',
  startButton: 'Empezar la comprobación',
  preparing: 'Preparando la comprobación…',
  verifying: 'Comprobando el resultado…',
  verifiedTitle: 'Verificación completada',
  verifiedMessage: 'Gracias, la comprobación ha terminado.',
  notVerifiedTitle: 'No hemos podido verificarte',
  notVerifiedMessage: 'La comprobación no se ha superado.',
  adviceTitle: 'Antes de volver a intentarlo',
  retryButton: 'Intentar de nuevo',
  feedback: {
    FACE_NOT_VISIBLE: 'Mantén toda la cara a la vista, dentro del óvalo, de principio a fin.',
    FACE_OBSTRUCTION_DETECTED: 'Quita lo que te cubra la cara: gafas, mascarilla, sombrero o la mano.',
    LOW_VIDEO_QUALITY_DETECTED: 'Limpia la lente de la cámara y mantén el dispositivo quieto.',
    FACE_NOT_ALIGNED: 'Mira directamente a la cámara y mantén la cara centrada en el óvalo.',
    EYES_CLOSED_DETECTED: 'Mantén los ojos abiertos durante la comprobación.',
    LOW_LIGHTING_DETECTED: 'Busca más luz: ponte de cara a una ventana o una lámpara.',
    HIGH_LIGHTING_DETECTED: 'Evita una luz fuerte sobre la cara o justo detrás de ti.',
  },
  reasons: {
    LOW_CONFIDENCE: 'No hemos podido confirmar que seas una persona real delante de la cámara.',
    MISSING_REFERENCE_IMAGE: 'No hemos obtenido una imagen clara de tu cara.',
    SESSION_FAILED: 'La comprobación no ha terminado.',
    SESSION_EXPIRED: 'La comprobación ha tardado demasiado y ha caducado.',
    CHALLENGE_NOT_ALLOWED: 'La comprobación se ha hecho de una forma que este servicio no acepta.',
    CHALLENGE_VERSION_TOO_OLD:
      'La comprobación se ha hecho con una versión más antigua de la que acepta este servicio: actualiza la aplicación.',
    CHALLENGE_MISSING: 'La comprobación se ha hecho de una forma que este servicio no acepta.',
  },
  problems: {
    CAMERA_ACCESS: {
      title: 'No podemos usar tu cámara',
      message:
        'Permite el acceso a la cámara para este sitio en los ajustes del navegador (y cierra otras aplicaciones que la usen) y vuelve a intentarlo.',
    },
    CAMERA_FRAMERATE: {
      title: 'Tu cámara es demasiado lenta',
      message:
        'La comprobación necesita una cámara que grabe al menos 15 imágenes por segundo. Prueba con otra cámara u otro dispositivo.',
    },
    LANDSCAPE: { title: 'Pon el dispositivo en vertical', message: 'La comprobación solo funciona en vertical.' },
    FACE_FIT_TIMEOUT: {
      title: 'Se acabó el tiempo',
      message:
        'Tu cara no ha llenado el óvalo a tiempo. Acércate, mantén la cara dentro del óvalo y vuelve a intentarlo.',
    },
    FACE_TOO_CLOSE: {
      title: 'Empezaste demasiado cerca',
      message: 'Sostén la cámara con el brazo extendido antes de empezar y acércate cuando se te pida.',
    },
    MULTIPLE_FACES: { title: 'Hay más de una cara', message: 'Asegúrate de que solo se vea tu cara.' },
    CONNECTION_TIMEOUT: {
      title: 'No hemos podido conectar',
      message:
        'La conexión con el servicio de verificación ha excedido el tiempo de espera. Comprueba tu conexión a internet y vuelve a intentarlo.',
    },
    RUNTIME_ERROR: {
      title: 'Algo ha salido mal',
      message:
        'La comprobación se ha detenido de forma inesperada. Vuelve a intentarlo; si sigue pasando, prueba con otro navegador.',
    },
    SESSION_UNUSABLE: {
      title: 'Esta comprobación ya no es válida',
      message: 'Cada comprobación solo puede usarse una vez, en un plazo de 3 minutos. Empieza una nueva.',
    },
    WRONG_REGION: {
      title: 'El servicio no está bien configurado',
      message: 'La aplicación y el servicio de verificación están en regiones de AWS distintas. Contacta con soporte.',
    },
    BUSY: {
      title: 'El servicio está ocupado',
      message: 'Hay demasiadas comprobaciones en curso. Espera un momento y vuelve a intentarlo.',
    },
    STREAM_INTERRUPTED: {
      title: 'Se ha interrumpido la conexión',
      message:
        'Hemos perdido la conexión con el servicio de verificación durante la comprobación. Vuelve a intentarlo.',
    },
    CHALLENGE_UNAVAILABLE: {
      title: 'Este tipo de comprobación no está disponible',
      message: 'El servicio de verificación no ofrece la comprobación que pide esta aplicación. Contacta con soporte.',
    },
    API_THROTTLED: { title: 'Demasiados intentos', message: 'Espera un minuto y vuelve a intentarlo.' },
    LOCKED_OUT: {
      title: 'Demasiadas comprobaciones fallidas',
      message: 'Por tu seguridad, las comprobaciones están en pausa. Vuelve a intentarlo más tarde.',
    },
    API_UNAVAILABLE: { title: 'El servicio está ocupado', message: 'Vuelve a intentarlo en un momento.' },
    API_SIGNATURE: {
      title: 'El servicio no ha podido verificar este dispositivo',
      message:
        'Vuelve a intentarlo. Si sigue pasando, haz que la fecha y la hora de este dispositivo se ajusten automáticamente.',
    },
    CREDENTIALS_EXPIRED: {
      title: 'El servicio no ha podido verificar este dispositivo',
      message:
        'Vuelve a intentarlo. Si sigue pasando, haz que la fecha y la hora de este dispositivo se ajusten automáticamente.',
    },
    API_FORBIDDEN: {
      title: 'No permitido',
      message: 'Esta aplicación no puede iniciar una comprobación en este momento.',
    },
    API_ERROR: {
      title: 'Algo ha fallado por nuestra parte',
      message: 'El servicio de verificación no ha podido atender la solicitud.',
    },
    RESULT_TIMEOUT: {
      title: 'Aún no hay resultado',
      message: 'El resultado ha tardado demasiado. Empieza una nueva comprobación.',
    },
    NETWORK: {
      title: 'No podemos conectar con el servicio',
      message: 'Comprueba tu conexión a internet y vuelve a intentarlo.',
    },
    CREDENTIALS: { title: 'No hemos obtenido permiso para empezar', message: 'Vuelve a intentarlo en un momento.' },
    CREDENTIALS_MISCONFIGURED: {
      title: 'No hemos obtenido permiso para empezar',
      message: 'La aplicación no está bien configurada. Contacta con soporte.',
    },
    CLIENT_ERROR: { title: 'Algo ha salido mal', message: 'Empieza una nueva comprobación.' },
    UNEXPECTED: { title: 'Algo ha salido mal', message: 'Recarga la página y vuelve a intentarlo.' },
  },
  lockedOut: (minutes) =>
    `Por tu seguridad, las comprobaciones están en pausa. Vuelve a intentarlo ${
      minutes === undefined ? 'más tarde' : `dentro de ${minutes} minuto${minutes === 1 ? '' : 's'}`
    }.`,
  supportReference: (requestId) => `Si contactas con soporte, indica ${requestId}.`,
};
