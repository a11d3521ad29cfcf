import type { MessageCatalog } from './catalog-types.ts';

/** Portuguese (European): the verification message and the call flows only (Brazilian Portuguese is pt-br.ts; the hosted pages fall back to English). */
export const pt: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'O seu código de verificação {name} é: {code}',
  'verification.doNotShare': 'Não partilhe este código com ninguém; os nossos funcionários nunca lho pedirão.',
  'verification.voiceIntro': 'Olá. Aqui fala {name}.',
  'verification.voiceCode': 'O seu código de verificação é {code}.',
  'verification.voiceRepeat': 'Repito, o seu código é {code}.',
  'verification.voiceGoodbye': 'Adeus.',
  'verification.emailSubject': 'O seu código de verificação {name}',
  'verification.emailBody': 'O seu código de verificação {name} é: {code}',
  'verification.emailExpiry': 'Este código expira dentro de {minutes} minutos. Se não o pediu, ignore este e-mail.',
  'verification.psd2': 'Este código aprova um pagamento de {amount} a {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} é o seu código de verificação.',
  'verification.whatsappSecurity': 'Por motivos de segurança, não partilhe este código.',
  'verification.whatsappExpiry': 'Este código expira dentro de {minutes} minutos.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Para ouvir o código novamente, prima 1.',
  'voice.enterCode': 'Introduza o código apresentado no seu ecrã.',
  'voice.wrongCode': 'Esse código não está correto.',
  'voice.codeAccepted': 'Obrigado. O seu número de telefone foi verificado.',
  'voice.tooManyWrong': 'Demasiados códigos errados. Adeus.',
  'voice.noInput': 'Não recebemos qualquer resposta.',
  'voice.approvePayment': 'É-lhe pedido que aprove um pagamento de {amount} a {payee}.',
  'voice.approveSignIn': 'Um início de sessão na sua conta aguarda a sua aprovação.',
  'voice.pressOneToApprove': 'Para aprovar, prima 1. Para recusar, prima qualquer outra tecla.',
  'voice.enterNumberToApprove': 'Para aprovar, introduza os dois algarismos apresentados no seu ecrã. Para recusar, prima a tecla asterisco.',
  'voice.approved': 'Aprovado. Obrigado. Adeus.',
  'voice.denied': 'Recusado. Se não foi o próprio, altere a sua palavra-passe. Adeus.',
  'voice.noLongerValid': 'Este pedido já não é válido. Adeus.',
  'voice.flashAnswered': 'Esta chamada apenas verifica o seu número de telefone. Já pode desligar. Adeus.',
  'voice.sayPassPhrase': 'Após o sinal, diga a sua frase de acesso.',
  'voice.sayItAgain': 'Obrigado. Mais uma vez, após o sinal.',
  'voice.recordAgain': 'Não o conseguimos ouvir bem. Tente novamente após o sinal.',
  'voice.voiceprintReady': 'A sua impressão vocal está pronta. Adeus.',
  'voice.voiceMatched': 'Obrigado. A sua voz foi verificada. Adeus.',
  'voice.voiceNotMatched': 'A sua voz não corresponde. Adeus.',
};
