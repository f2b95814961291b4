import type { LivenessMessages } from './types';

export const de: LivenessMessages = {
  startTitle: 'Prüfen wir, ob Sie es wirklich sind',
  startIntro: 'Wir verwenden Ihre Kamera einige Sekunden lang, um zu bestätigen, dass eine echte Person davor ist.',
  tipLight: 'Suchen Sie einen hellen Ort und wenden Sie sich dem Licht zu.',
  tipAccessories: 'Nehmen Sie Sonnenbrille, Maske oder Hut ab.',
  tipDistance: 'Halten Sie Ihr Gerät auf Armlänge und kommen Sie näher, wenn Sie das Oval ausfüllen sollen.',
  tipFlashes:
    'Der Bildschirm blinkt in Farben: Wenn Sie empfindlich auf Lichtblitze reagieren, fragen Sie nach einer anderen Art der Prüfung.',
  startButton: 'Prüfung starten',
  preparing: 'Prüfung wird vorbereitet…',
  verifying: 'Ergebnis wird geprüft…',
  verifiedTitle: 'Sie sind verifiziert',
  verifiedMessage: 'Danke, die Prüfung ist abgeschlossen.',
  notVerifiedTitle: 'Wir konnten Sie nicht verifizieren',
  notVerifiedMessage: 'Die Prüfung wurde nicht bestanden.',
  adviceTitle: 'Bevor Sie es erneut versuchen',
  retryButton: 'Erneut versuchen',
  feedback: {
    FACE_NOT_VISIBLE: 'Halten Sie Ihr ganzes Gesicht von Anfang bis Ende sichtbar im Oval.',
    FACE_OBSTRUCTION_DETECTED: 'Entfernen Sie alles, was Ihr Gesicht verdeckt: Brille, Maske, Hut oder Hand.',
    LOW_VIDEO_QUALITY_DETECTED: 'Reinigen Sie die Kameralinse und halten Sie Ihr Gerät ruhig.',
    FACE_NOT_ALIGNED: 'Schauen Sie direkt in die Kamera und halten Sie Ihr Gesicht mittig im Oval.',
    EYES_CLOSED_DETECTED: 'Halten Sie während der Prüfung die Augen offen.',
    LOW_LIGHTING_DETECTED: 'Sorgen Sie für mehr Licht: Wenden Sie sich einem Fenster oder einer Lampe zu.',
    HIGH_LIGHTING_DETECTED: 'Vermeiden Sie starkes Licht auf Ihrem Gesicht oder direkt hinter Ihnen.',
  },
  reasons: {
    LOW_CONFIDENCE: 'Wir konnten nicht bestätigen, dass eine echte Person vor der Kamera ist.',
    MISSING_REFERENCE_IMAGE: 'Wir haben kein klares Bild Ihres Gesichts erhalten.',
    SESSION_FAILED: 'Die Prüfung wurde nicht abgeschlossen.',
    SESSION_EXPIRED: 'Die Prüfung hat zu lange gedauert und ist abgelaufen.',
    CHALLENGE_NOT_ALLOWED: 'Die Prüfung lief auf eine Weise ab, die dieser Dienst nicht akzeptiert.',
    CHALLENGE_VERSION_TOO_OLD:
      'Die Prüfung lief mit einer älteren Version, als dieser Dienst akzeptiert: Aktualisieren Sie die App.',
    CHALLENGE_MISSING: 'Die Prüfung lief auf eine Weise ab, die dieser Dienst nicht akzeptiert.',
  },
  problems: {
    CAMERA_ACCESS: {
      title: 'Wir können Ihre Kamera nicht verwenden',
      message:
        'Erlauben Sie dieser Website in den Browsereinstellungen den Kamerazugriff (und schließen Sie andere Apps, die die Kamera nutzen), und versuchen Sie es dann erneut.',
    },
    CAMERA_FRAMERATE: {
      title: 'Ihre Kamera ist zu langsam',
      message:
        'Die Prüfung braucht eine Kamera mit mindestens 15 Bildern pro Sekunde. Versuchen Sie eine andere Kamera oder ein anderes Gerät.',
    },
    LANDSCAPE: { title: 'Drehen Sie Ihr Gerät hochkant', message: 'Die Prüfung funktioniert nur im Hochformat.' },
    FACE_FIT_TIMEOUT: {
      title: 'Die Zeit ist abgelaufen',
      message:
        'Ihr Gesicht hat das Oval nicht rechtzeitig ausgefüllt. Kommen Sie näher, halten Sie Ihr Gesicht im Oval und versuchen Sie es erneut.',
    },
    FACE_TOO_CLOSE: {
      title: 'Sie waren zu Beginn zu nah',
      message:
        'Halten Sie die Kamera vor dem Start auf Armlänge und kommen Sie näher, wenn Sie dazu aufgefordert werden.',
    },
    MULTIPLE_FACES: { title: 'Mehr als ein Gesicht', message: 'Achten Sie darauf, dass nur Ihr Gesicht zu sehen ist.' },
    CONNECTION_TIMEOUT: {
      title: 'Wir konnten keine Verbindung herstellen',
      message:
        'Die Verbindung zum Prüfdienst hat zu lange gedauert. Prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.',
    },
    RUNTIME_ERROR: {
      title: 'Etwas ist schiefgelaufen',
      message:
        'Die Prüfung wurde unerwartet beendet. Versuchen Sie es erneut; wenn es wieder passiert, verwenden Sie einen anderen Browser.',
    },
    SESSION_UNUSABLE: {
      title: 'Diese Prüfung ist nicht mehr gültig',
      message:
        'Jede Prüfung kann nur einmal und nur innerhalb von 3 Minuten genutzt werden. Starten Sie eine neue Prüfung.',
    },
    WRONG_REGION: {
      title: 'Der Dienst ist nicht richtig eingerichtet',
      message: 'Die App und der Prüfdienst liegen in verschiedenen AWS-Regionen. Wenden Sie sich an den Support.',
    },
    BUSY: {
      title: 'Der Dienst ist ausgelastet',
      message: 'Gerade laufen zu viele Prüfungen. Warten Sie einen Moment und versuchen Sie es erneut.',
    },
    STREAM_INTERRUPTED: {
      title: 'Die Verbindung wurde unterbrochen',
      message: 'Während der Prüfung ist die Verbindung zum Prüfdienst abgebrochen. Versuchen Sie es erneut.',
    },
    CHALLENGE_UNAVAILABLE: {
      title: 'Diese Art der Prüfung ist nicht verfügbar',
      message: 'Der Prüfdienst bietet die Prüfung, die diese App anfordert, nicht an. Wenden Sie sich an den Support.',
    },
    API_THROTTLED: { title: 'Zu viele Versuche', message: 'Warten Sie eine Minute und versuchen Sie es dann erneut.' },
    LOCKED_OUT: {
      title: 'Zu viele fehlgeschlagene Prüfungen',
      message: 'Zu Ihrer Sicherheit sind Prüfungen pausiert. Versuchen Sie es später erneut.',
    },
    API_UNAVAILABLE: { title: 'Der Dienst ist ausgelastet', message: 'Versuchen Sie es gleich noch einmal.' },
    API_SIGNATURE: {
      title: 'Der Dienst konnte dieses Gerät nicht überprüfen',
      message:
        'Versuchen Sie es erneut. Wenn es wieder passiert, stellen Sie Datum und Uhrzeit dieses Geräts auf automatisch.',
    },
    CREDENTIALS_EXPIRED: {
      title: 'Der Dienst konnte dieses Gerät nicht überprüfen',
      message:
        'Versuchen Sie es erneut. Wenn es wieder passiert, stellen Sie Datum und Uhrzeit dieses Geräts auf automatisch.',
    },
    API_FORBIDDEN: { title: 'Nicht erlaubt', message: 'Diese App darf gerade keine Prüfung starten.' },
    API_ERROR: {
      title: 'Bei uns ist etwas schiefgelaufen',
      message: 'Der Prüfdienst konnte die Anfrage nicht bearbeiten.',
    },
    RESULT_TIMEOUT: {
      title: 'Noch kein Ergebnis',
      message: 'Das Ergebnis hat zu lange gedauert. Starten Sie eine neue Prüfung.',
    },
    NETWORK: {
      title: 'Wir erreichen den Dienst nicht',
      message: 'Prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.',
    },
    CREDENTIALS: {
      title: 'Wir haben keine Berechtigung zum Starten erhalten',
      message: 'Versuchen Sie es gleich noch einmal.',
    },
    CREDENTIALS_MISCONFIGURED: {
      title: 'Wir haben keine Berechtigung zum Starten erhalten',
      message: 'Die App ist nicht richtig eingerichtet. Wenden Sie sich an den Support.',
    },
    CLIENT_ERROR: { title: 'Etwas ist schiefgelaufen', message: 'Starten Sie eine neue Prüfung.' },
    UNEXPECTED: { title: 'Etwas ist schiefgelaufen', message: 'Laden Sie die Seite neu und versuchen Sie es erneut.' },
  },
  lockedOut: (minutes) =>
    `Zu Ihrer Sicherheit sind Prüfungen pausiert. Versuchen Sie es ${
      minutes === undefined ? 'später' : `in ${minutes} Minute${minutes === 1 ? '' : 'n'}`
    } erneut.`,
  supportReference: (requestId) => `Wenn Sie den Support kontaktieren, nennen Sie ${requestId}.`,
};
