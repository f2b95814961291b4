import type { LivenessMessages } from './types';

export const fr: LivenessMessages = {
  startTitle: 'Vérifions que c’est bien vous',
  startIntro: 'Nous utiliserons votre caméra quelques secondes pour confirmer qu’une personne réelle se trouve devant.',
  tipLight: 'Placez-vous dans un endroit bien éclairé, face à la lumière.',
  tipAccessories: 'Retirez lunettes de soleil, masque ou chapeau.',
  tipDistance: 'Tenez votre appareil à bout de bras, puis rapprochez-vous quand on vous demande de remplir l’ovale.',
  tipFlashes:
    'L’écran va clignoter en couleurs : si vous êtes sensible aux lumières clignotantes, demandez un autre moyen de vérification.',
  startButton: 'Commencer la vérification',
  preparing: 'Préparation de la vérification…',
  verifying: 'Vérification du résultat…',
  verifiedTitle: 'Vous êtes vérifié',
  verifiedMessage: 'Merci, la vérification est terminée.',
  notVerifiedTitle: 'Nous n’avons pas pu vous vérifier',
  notVerifiedMessage: 'La vérification n’a pas abouti.',
  adviceTitle: 'Avant de réessayer',
  retryButton: 'Réessayer',
  feedback: {
    FACE_NOT_VISIBLE: 'Gardez tout votre visage visible, dans l’ovale, du début à la fin.',
    FACE_OBSTRUCTION_DETECTED: 'Retirez ce qui couvre votre visage : lunettes, masque, chapeau ou main.',
    LOW_VIDEO_QUALITY_DETECTED: 'Nettoyez l’objectif de la caméra et tenez votre appareil immobile.',
    FACE_NOT_ALIGNED: 'Regardez droit vers la caméra et gardez votre visage centré dans l’ovale.',
    EYES_CLOSED_DETECTED: 'Gardez les yeux ouverts pendant la vérification.',
    LOW_LIGHTING_DETECTED: 'Trouvez plus de lumière : placez-vous face à une fenêtre ou une lampe.',
    HIGH_LIGHTING_DETECTED: 'Évitez une lumière forte sur votre visage ou juste derrière vous.',
  },
  reasons: {
    LOW_CONFIDENCE: 'Nous n’avons pas pu confirmer qu’une personne réelle se trouve devant la caméra.',
    MISSING_REFERENCE_IMAGE: 'Nous n’avons pas obtenu une image nette de votre visage.',
    SESSION_FAILED: 'La vérification ne s’est pas terminée.',
    SESSION_EXPIRED: 'La vérification a pris trop de temps et a expiré.',
    CHALLENGE_NOT_ALLOWED: 'La vérification s’est déroulée d’une manière que ce service n’accepte pas.',
    CHALLENGE_VERSION_TOO_OLD:
      'La vérification a utilisé une version plus ancienne que celle acceptée par ce service : mettez l’application à jour.',
    CHALLENGE_MISSING: 'La vérification s’est déroulée d’une manière que ce service n’accepte pas.',
  },
  problems: {
    CAMERA_ACCESS: {
      title: 'Nous ne pouvons pas utiliser votre caméra',
      message:
        'Autorisez l’accès à la caméra pour ce site dans les réglages du navigateur (et fermez les autres applications qui l’utilisent), puis réessayez.',
    },
    CAMERA_FRAMERATE: {
      title: 'Votre caméra est trop lente',
      message:
        'La vérification nécessite une caméra qui filme au moins 15 images par seconde. Essayez une autre caméra ou un autre appareil.',
    },
    LANDSCAPE: {
      title: 'Tenez votre appareil à la verticale',
      message: 'La vérification fonctionne uniquement en mode portrait.',
    },
    FACE_FIT_TIMEOUT: {
      title: 'Le temps est écoulé',
      message:
        'Votre visage n’a pas rempli l’ovale à temps. Rapprochez-vous, gardez votre visage dans l’ovale et réessayez.',
    },
    FACE_TOO_CLOSE: {
      title: 'Vous avez commencé trop près',
      message:
        'Tenez la caméra à bout de bras avant le début de la vérification, puis rapprochez-vous quand on vous le demande.',
    },
    MULTIPLE_FACES: { title: 'Plus d’un visage', message: 'Assurez-vous que seul votre visage est visible.' },
    CONNECTION_TIMEOUT: {
      title: 'Nous n’avons pas pu nous connecter',
      message: 'La connexion au service de vérification a expiré. Vérifiez votre connexion internet et réessayez.',
    },
    RUNTIME_ERROR: {
      title: 'Un problème est survenu',
      message:
        'La vérification s’est arrêtée de façon inattendue. Réessayez ; si cela se reproduit, essayez un autre navigateur.',
    },
    SESSION_UNUSABLE: {
      title: 'Cette vérification n’est plus valable',
      message:
        'Chaque vérification ne peut servir qu’une fois, dans les 3 minutes. Commencez une nouvelle vérification.',
    },
    WRONG_REGION: {
      title: 'Le service n’est pas correctement configuré',
      message:
        'L’application et le service de vérification sont dans des régions AWS différentes. Contactez le support.',
    },
    BUSY: {
      title: 'Le service est saturé',
      message: 'Trop de vérifications sont en cours. Patientez un instant et réessayez.',
    },
    STREAM_INTERRUPTED: {
      title: 'La connexion a été interrompue',
      message: 'Nous avons perdu la connexion au service de vérification pendant la vérification. Réessayez.',
    },
    CHALLENGE_UNAVAILABLE: {
      title: 'Ce type de vérification n’est pas disponible',
      message:
        'Le service de vérification ne propose pas la vérification demandée par cette application. Contactez le support.',
    },
    API_THROTTLED: { title: 'Trop de tentatives', message: 'Patientez une minute, puis réessayez.' },
    LOCKED_OUT: {
      title: 'Trop de vérifications échouées',
      message: 'Pour votre sécurité, les vérifications sont suspendues. Réessayez plus tard.',
    },
    API_UNAVAILABLE: { title: 'Le service est saturé', message: 'Réessayez dans un instant.' },
    API_SIGNATURE: {
      title: 'Le service n’a pas pu vérifier cet appareil',
      message: 'Réessayez. Si cela se reproduit, réglez la date et l’heure de cet appareil en mode automatique.',
    },
    CREDENTIALS_EXPIRED: {
      title: 'Le service n’a pas pu vérifier cet appareil',
      message: 'Réessayez. Si cela se reproduit, réglez la date et l’heure de cet appareil en mode automatique.',
    },
    API_FORBIDDEN: {
      title: 'Non autorisé',
      message: 'Cette application ne peut pas lancer de vérification pour le moment.',
    },
    API_ERROR: {
      title: 'Un problème est survenu de notre côté',
      message: 'Le service de vérification n’a pas pu traiter la demande.',
    },
    RESULT_TIMEOUT: {
      title: 'Pas encore de résultat',
      message: 'Le résultat a mis trop de temps à arriver. Commencez une nouvelle vérification.',
    },
    NETWORK: {
      title: 'Nous ne parvenons pas à joindre le service',
      message: 'Vérifiez votre connexion internet et réessayez.',
    },
    CREDENTIALS: {
      title: 'Nous n’avons pas obtenu l’autorisation de commencer',
      message: 'Réessayez dans un instant.',
    },
    CREDENTIALS_MISCONFIGURED: {
      title: 'Nous n’avons pas obtenu l’autorisation de commencer',
      message: 'L’application n’est pas correctement configurée. Contactez le support.',
    },
    CLIENT_ERROR: { title: 'Un problème est survenu', message: 'Commencez une nouvelle vérification.' },
    UNEXPECTED: { title: 'Un problème est survenu', message: 'Rechargez la page et réessayez.' },
  },
  lockedOut: (minutes) =>
    `Pour votre sécurité, les vérifications sont suspendues. Réessayez ${
      minutes === undefined ? 'plus tard' : `dans ${minutes} minute${minutes === 1 ? '' : 's'}`
    }.`,
  supportReference: (requestId) => `Si vous contactez le support, indiquez ${requestId}.`,
};
