import type { MessageCatalog } from './catalog-types.ts';

/** Swedish: the verification message and the call flows only (the hosted pages fall back to English). */
export const sv: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Din verifieringskod för {name} är: {code}',
  'verification.doNotShare': 'Dela inte den här koden med någon; våra anställda kommer aldrig att be om koden.',
  'verification.voiceIntro': 'Hej. Det här är {name}.',
  'verification.voiceCode': 'Din verifieringskod är {code}.',
  'verification.voiceRepeat': 'En gång till, din kod är {code}.',
  'verification.voiceGoodbye': 'Hej då.',
  'verification.emailSubject': 'Din verifieringskod för {name}',
  'verification.emailBody': 'Din verifieringskod för {name} är: {code}',
  'verification.emailExpiry': 'Koden går ut om {minutes} minuter. Om du inte har begärt den kan du bortse från det här mejlet.',
  'verification.psd2': 'Den här koden godkänner en betalning på {amount} till {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} är din verifieringskod.',
  'verification.whatsappSecurity': 'För din säkerhet, dela inte den här koden.',
  'verification.whatsappExpiry': 'Koden går ut om {minutes} minuter.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Tryck 1 för att höra koden igen.',
  'voice.enterCode': 'Ange koden som visas på skärmen.',
  'voice.wrongCode': 'Koden är inte korrekt.',
  'voice.codeAccepted': 'Tack. Ditt telefonnummer är verifierat.',
  'voice.tooManyWrong': 'För många felaktiga koder. Hej då.',
  'voice.noInput': 'Vi fick ingen inmatning.',
  'voice.approvePayment': 'Du ombeds godkänna en betalning på {amount} till {payee}.',
  'voice.approveSignIn': 'En inloggning på ditt konto väntar på ditt godkännande.',
  'voice.pressOneToApprove': 'Tryck 1 för att godkänna. Tryck på valfri annan knapp för att neka.',
  'voice.enterNumberToApprove': 'För att godkänna, ange de två siffrorna som visas på skärmen. För att neka, tryck på stjärnknappen.',
  'voice.approved': 'Godkänt. Tack. Hej då.',
  'voice.denied': 'Nekat. Om det inte var du, byt ditt lösenord. Hej då.',
  'voice.noLongerValid': 'Den här begäran är inte längre giltig. Hej då.',
  'voice.flashAnswered': 'Det här samtalet verifierar bara ditt telefonnummer. Du kan lägga på nu. Hej då.',
  'voice.sayPassPhrase': 'Säg din lösenfras efter tonen.',
  'voice.sayItAgain': 'Tack. En gång till, efter tonen.',
  'voice.recordAgain': 'Vi hörde dig inte tydligt. Försök igen efter tonen.',
  'voice.voiceprintReady': 'Ditt röstavtryck är klart. Hej då.',
  'voice.voiceMatched': 'Tack. Din röst är verifierad. Hej då.',
  'voice.voiceNotMatched': 'Din röst matchade inte. Hej då.',
};
