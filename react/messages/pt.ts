import type { LivenessMessages } from './types';

export const pt: LivenessMessages = {
  startTitle: 'Vamos confirmar que é você',
  startIntro: 'Vamos usar sua câmera por alguns segundos para confirmar que há uma pessoa real na frente dela.',
  tipLight: 'Procure um lugar bem iluminado e fique de frente para a luz.',
  tipAccessories: 'Tire óculos de sol, máscara ou chapéu.',
  tipDistance: 'Segure o dispositivo com o braço estendido e aproxime-se quando for pedido para preencher o oval.',
  tipFlashes: 'A tela vai piscar em cores: se você é sensível a luzes piscantes, peça outra forma de verificação.',
  startButton: 'Iniciar verificação',
  preparing: 'Preparando a verificação…',
  verifying: 'Conferindo o resultado…',
  verifiedTitle: 'Você foi verificado',
  verifiedMessage: 'Obrigado, a verificação foi concluída.',
  notVerifiedTitle: 'Não conseguimos verificar você',
  notVerifiedMessage: 'A verificação não foi aprovada.',
  adviceTitle: 'Antes de tentar de novo',
  retryButton: 'Tentar de novo',
  feedback: {
    FACE_NOT_VISIBLE: 'Mantenha o rosto inteiro visível, dentro do oval, do início ao fim.',
    FACE_OBSTRUCTION_DETECTED: 'Tire o que estiver cobrindo o rosto: óculos, máscara, chapéu ou a mão.',
    LOW_VIDEO_QUALITY_DETECTED: 'Limpe a lente da câmera e mantenha o dispositivo firme.',
    FACE_NOT_ALIGNED: 'Olhe diretamente para a câmera e mantenha o rosto centralizado no oval.',
    EYES_CLOSED_DETECTED: 'Mantenha os olhos abertos durante a verificação.',
    LOW_LIGHTING_DETECTED: 'Procure mais luz: fique de frente para uma janela ou uma lâmpada.',
    HIGH_LIGHTING_DETECTED: 'Evite luz forte no rosto ou logo atrás de você.',
  },
  reasons: {
    LOW_CONFIDENCE: 'Não conseguimos confirmar que há uma pessoa real na frente da câmera.',
    MISSING_REFERENCE_IMAGE: 'Não obtivemos uma imagem nítida do seu rosto.',
    SESSION_FAILED: 'A verificação não terminou.',
    SESSION_EXPIRED: 'A verificação demorou demais e expirou.',
    CHALLENGE_NOT_ALLOWED: 'A verificação foi feita de um jeito que este serviço não aceita.',
    CHALLENGE_VERSION_TOO_OLD:
      'A verificação usou uma versão mais antiga do que este serviço aceita: atualize o aplicativo.',
    CHALLENGE_MISSING: 'A verificação foi feita de um jeito que este serviço não aceita.',
  },
  problems: {
    CAMERA_ACCESS: {
      title: 'Não conseguimos usar sua câmera',
      message:
        'Permita o acesso à câmera para este site nas configurações do navegador (e feche outros aplicativos que a estejam usando) e tente de novo.',
    },
    CAMERA_FRAMERATE: {
      title: 'Sua câmera é lenta demais',
      message:
        'A verificação precisa de uma câmera que grave pelo menos 15 quadros por segundo. Tente outra câmera ou outro dispositivo.',
    },
    LANDSCAPE: {
      title: 'Coloque o dispositivo na vertical',
      message: 'A verificação funciona apenas no modo retrato.',
    },
    FACE_FIT_TIMEOUT: {
      title: 'O tempo acabou',
      message: 'Seu rosto não preencheu o oval a tempo. Aproxime-se, mantenha o rosto dentro do oval e tente de novo.',
    },
    FACE_TOO_CLOSE: {
      title: 'Você começou perto demais',
      message: 'Segure a câmera com o braço estendido antes de começar e aproxime-se quando for pedido.',
    },
    MULTIPLE_FACES: { title: 'Mais de um rosto', message: 'Garanta que só o seu rosto apareça.' },
    CONNECTION_TIMEOUT: {
      title: 'Não conseguimos conectar',
      message:
        'A conexão com o serviço de verificação demorou demais. Confira sua conexão com a internet e tente de novo.',
    },
    RUNTIME_ERROR: {
      title: 'Algo deu errado',
      message: 'A verificação parou inesperadamente. Tente de novo; se continuar acontecendo, use outro navegador.',
    },
    SESSION_UNUSABLE: {
      title: 'Esta verificação não é mais válida',
      message: 'Cada verificação só pode ser usada uma vez, em até 3 minutos. Inicie uma nova verificação.',
    },
    WRONG_REGION: {
      title: 'O serviço não está configurado corretamente',
      message: 'O aplicativo e o serviço de verificação estão em regiões da AWS diferentes. Fale com o suporte.',
    },
    BUSY: {
      title: 'O serviço está ocupado',
      message: 'Há verificações demais em andamento. Aguarde um momento e tente de novo.',
    },
    STREAM_INTERRUPTED: {
      title: 'A conexão foi interrompida',
      message: 'Perdemos a conexão com o serviço de verificação durante a verificação. Tente de novo.',
    },
    CHALLENGE_UNAVAILABLE: {
      title: 'Este tipo de verificação não está disponível',
      message: 'O serviço de verificação não oferece a verificação que este aplicativo pediu. Fale com o suporte.',
    },
    API_THROTTLED: { title: 'Tentativas demais', message: 'Aguarde um minuto e tente de novo.' },
    LOCKED_OUT: {
      title: 'Verificações com falha demais',
      message: 'Para sua segurança, as verificações estão pausadas. Tente de novo mais tarde.',
    },
    API_UNAVAILABLE: { title: 'O serviço está ocupado', message: 'Tente de novo em instantes.' },
    API_SIGNATURE: {
      title: 'O serviço não conseguiu verificar este dispositivo',
      message: 'Tente de novo. Se continuar acontecendo, ajuste a data e a hora deste dispositivo para automáticas.',
    },
    CREDENTIALS_EXPIRED: {
      title: 'O serviço não conseguiu verificar este dispositivo',
      message: 'Tente de novo. Se continuar acontecendo, ajuste a data e a hora deste dispositivo para automáticas.',
    },
    API_FORBIDDEN: { title: 'Não permitido', message: 'Este aplicativo não pode iniciar uma verificação agora.' },
    API_ERROR: {
      title: 'Algo deu errado do nosso lado',
      message: 'O serviço de verificação não conseguiu atender à solicitação.',
    },
    RESULT_TIMEOUT: {
      title: 'Ainda sem resultado',
      message: 'O resultado demorou demais para chegar. Inicie uma nova verificação.',
    },
    NETWORK: {
      title: 'Não conseguimos acessar o serviço',
      message: 'Confira sua conexão com a internet e tente de novo.',
    },
    CREDENTIALS: { title: 'Não obtivemos permissão para começar', message: 'Tente de novo em instantes.' },
    CREDENTIALS_MISCONFIGURED: {
      title: 'Não obtivemos permissão para começar',
      message: 'O aplicativo não está configurado corretamente. Fale com o suporte.',
    },
    CLIENT_ERROR: { title: 'Algo deu errado', message: 'Inicie uma nova verificação.' },
    UNEXPECTED: { title: 'Algo deu errado', message: 'Recarregue a página e tente de novo.' },
  },
  lockedOut: (minutes) =>
    `Para sua segurança, as verificações estão pausadas. Tente de novo ${
      minutes === undefined ? 'mais tarde' : `em ${minutes} minuto${minutes === 1 ? '' : 's'}`
    }.`,
  supportReference: (requestId) => `Se falar com o suporte, informe ${requestId}.`,
};
