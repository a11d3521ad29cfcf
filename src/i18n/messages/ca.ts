import type { MessageCatalog } from './catalog-types.ts';

/** Catalan: the verification message and the call flows only (the hosted pages fall back to English). */
export const ca: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'El teu codi de verificació de {name} és: {code}',
  'verification.doNotShare': 'No comparteixis aquest codi amb ningú; els nostres empleats mai no te’l demanaran.',
  'verification.voiceIntro': 'Hola. Et parla {name}.',
  'verification.voiceCode': 'El teu codi de verificació és {code}.',
  'verification.voiceRepeat': 'Una altra vegada, el teu codi és {code}.',
  'verification.voiceGoodbye': 'Adéu.',
  'verification.emailSubject': 'El teu codi de verificació de {name}',
  'verification.emailBody': 'El teu codi de verificació de {name} és: {code}',
  'verification.emailExpiry': 'Aquest codi caduca d’aquí a {minutes} minuts. Si no l’has sol·licitat, pots ignorar aquest correu.',
  'verification.psd2': 'Aquest codi aprova un pagament de {amount} a {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} és el teu codi de verificació.',
  'verification.whatsappSecurity': 'Per la teva seguretat, no comparteixis aquest codi.',
  'verification.whatsappExpiry': 'Aquest codi caduca d’aquí a {minutes} minuts.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Per tornar a escoltar el codi, prem 1.',
  'voice.enterCode': 'Introdueix el codi que es mostra a la pantalla.',
  'voice.wrongCode': 'Aquest codi no és correcte.',
  'voice.codeAccepted': 'Gràcies. El teu número de telèfon s’ha verificat.',
  'voice.tooManyWrong': 'Massa codis incorrectes. Adéu.',
  'voice.noInput': 'No hem rebut cap resposta.',
  'voice.approvePayment': 'Se’t demana que aprovis un pagament de {amount} a {payee}.',
  'voice.approveSignIn': 'Hi ha un inici de sessió al teu compte pendent de la teva aprovació.',
  'voice.pressOneToApprove': 'Per aprovar, prem 1. Per rebutjar, prem qualsevol altra tecla.',
  'voice.enterNumberToApprove': 'Per aprovar, introdueix les dues xifres que es mostren a la pantalla. Per rebutjar, prem la tecla asterisc.',
  'voice.approved': 'Aprovat. Gràcies. Adéu.',
  'voice.denied': 'Rebutjat. Si no has estat tu, canvia la contrasenya. Adéu.',
  'voice.noLongerValid': 'Aquesta sol·licitud ja no és vàlida. Adéu.',
  'voice.flashAnswered': 'Aquesta trucada només verifica el teu número de telèfon. Ja pots penjar. Adéu.',
  'voice.sayPassPhrase': 'Després del so, digues la teva frase de pas.',
  'voice.sayItAgain': 'Gràcies. Un cop més, després del so.',
  'voice.recordAgain': 'No t’hem sentit bé. Torna-ho a provar després del so.',
  'voice.voiceprintReady': 'La teva empremta de veu està a punt. Adéu.',
  'voice.voiceMatched': 'Gràcies. La teva veu s’ha verificat. Adéu.',
  'voice.voiceNotMatched': 'La teva veu no coincideix. Adéu.',
};
