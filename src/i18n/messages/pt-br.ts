import type { MessageCatalog } from './catalog-types.ts';

/** Portuguese (Brazil): the verification message and the call flows only (European Portuguese is pt.ts). */
export const ptBR: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Seu código de verificação para {name} é: {code}',
  'verification.doNotShare': 'Não compartilhe este código com ninguém; nossos funcionários nunca vão pedir o código.',
  'verification.voiceIntro': 'Olá. Aqui é {name}.',
  'verification.voiceCode': 'Seu código de verificação é {code}.',
  'verification.voiceRepeat': 'Repetindo, seu código é {code}.',
  'verification.voiceGoodbye': 'Até logo.',
  'verification.emailSubject': 'Seu código de verificação para {name}',
  'verification.emailBody': 'Seu código de verificação para {name} é: {code}',
  'verification.emailExpiry': 'Este código expira em {minutes} minutos. Se você não solicitou, ignore este e-mail.',
  'verification.psd2': 'Este código aprova um pagamento de {amount} para {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} é seu código de verificação.',
  'verification.whatsappSecurity': 'Para sua segurança, não compartilhe este código.',
  'verification.whatsappExpiry': 'Este código expira em {minutes} minutos.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Para ouvir o código novamente, pressione 1.',
  'voice.enterCode': 'Digite o código exibido na sua tela.',
  'voice.wrongCode': 'Esse código não está correto.',
  'voice.codeAccepted': 'Obrigado. Seu número de telefone foi verificado.',
  'voice.tooManyWrong': 'Códigos errados demais. Até logo.',
  'voice.noInput': 'Não recebemos nenhuma resposta.',
  'voice.approvePayment': 'Você precisa aprovar um pagamento de {amount} para {payee}.',
  'voice.approveSignIn': 'Um acesso à sua conta aguarda a sua aprovação.',
  'voice.pressOneToApprove': 'Para aprovar, pressione 1. Para recusar, pressione qualquer outra tecla.',
  'voice.enterNumberToApprove': 'Para aprovar, digite os dois números exibidos na sua tela. Para recusar, pressione a tecla asterisco.',
  'voice.approved': 'Aprovado. Obrigado. Até logo.',
  'voice.denied': 'Recusado. Se não foi você, altere a sua senha. Até logo.',
  'voice.noLongerValid': 'Esta solicitação não é mais válida. Até logo.',
  'voice.flashAnswered': 'Esta chamada apenas verifica o seu número. Você já pode desligar. Até logo.',
  'voice.sayPassPhrase': 'Após o sinal, diga sua frase de acesso.',
  'voice.sayItAgain': 'Obrigado. Mais uma vez, após o sinal.',
  'voice.recordAgain': 'Não ouvimos bem. Tente novamente após o sinal.',
  'voice.voiceprintReady': 'Sua impressão de voz está pronta. Até logo.',
  'voice.voiceMatched': 'Obrigado. Sua voz foi verificada. Até logo.',
  'voice.voiceNotMatched': 'Sua voz não corresponde. Até logo.',
};
