import type { MessageCatalog } from './catalog-types.ts';

/** Danish: the verification message and the call flows only (the hosted pages fall back to English). */
export const da: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Din bekræftelseskode til {name} er: {code}',
  'verification.doNotShare': 'Del ikke denne kode med nogen; vores medarbejdere vil aldrig bede om koden.',
  'verification.voiceIntro': 'Hej. Det er {name}.',
  'verification.voiceCode': 'Din bekræftelseskode er {code}.',
  'verification.voiceRepeat': 'Endnu en gang, din kode er {code}.',
  'verification.voiceGoodbye': 'Farvel.',
  'verification.emailSubject': 'Din bekræftelseskode til {name}',
  'verification.emailBody': 'Din bekræftelseskode til {name} er: {code}',
  'verification.emailExpiry': 'Denne kode udløber om {minutes} minutter. Hvis du ikke har bedt om den, kan du se bort fra denne e-mail.',
  'verification.psd2': 'Denne kode godkender en betaling på {amount} til {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} er din bekræftelseskode.',
  'verification.whatsappSecurity': 'Af hensyn til din sikkerhed må du ikke dele denne kode.',
  'verification.whatsappExpiry': 'Denne kode udløber om {minutes} minutter.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Tryk 1 for at høre koden igen.',
  'voice.enterCode': 'Indtast koden, der vises på din skærm.',
  'voice.wrongCode': 'Den kode er ikke korrekt.',
  'voice.codeAccepted': 'Tak. Dit telefonnummer er bekræftet.',
  'voice.tooManyWrong': 'For mange forkerte koder. Farvel.',
  'voice.noInput': 'Vi modtog ikke noget input.',
  'voice.approvePayment': 'Du bliver bedt om at godkende en betaling på {amount} til {payee}.',
  'voice.approveSignIn': 'Et login på din konto venter på din godkendelse.',
  'voice.pressOneToApprove': 'Tryk 1 for at godkende. Tryk på en vilkårlig anden tast for at afvise.',
  'voice.enterNumberToApprove': 'For at godkende skal du indtaste de to cifre, der vises på din skærm. For at afvise skal du trykke på stjernetasten.',
  'voice.approved': 'Godkendt. Tak. Farvel.',
  'voice.denied': 'Afvist. Hvis det ikke var dig, så skift venligst din adgangskode. Farvel.',
  'voice.noLongerValid': 'Denne anmodning er ikke længere gyldig. Farvel.',
  'voice.flashAnswered': 'Dette opkald bekræfter kun dit telefonnummer. Du kan lægge på nu. Farvel.',
  'voice.sayPassPhrase': 'Sig din adgangssætning efter bippet.',
  'voice.sayItAgain': 'Tak. En gang til, efter bippet.',
  'voice.recordAgain': 'Vi kunne ikke høre dig tydeligt. Prøv igen efter bippet.',
  'voice.voiceprintReady': 'Dit stemmeaftryk er klar. Farvel.',
  'voice.voiceMatched': 'Tak. Din stemme er bekræftet. Farvel.',
  'voice.voiceNotMatched': 'Din stemme matchede ikke. Farvel.',
};
