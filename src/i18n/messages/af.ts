import type { MessageCatalog } from './catalog-types.ts';

/** Afrikaans: the verification message and the call flows only (the hosted pages fall back to English). */
export const af: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Jou {name}-verifikasiekode is: {code}',
  'verification.doNotShare': 'Moenie hierdie kode met enigiemand deel nie; ons werknemers sal nooit na die kode vra nie.',
  'verification.voiceIntro': 'Hallo. Hier is {name}.',
  'verification.voiceCode': 'Jou verifikasiekode is {code}.',
  'verification.voiceRepeat': 'Nog een keer, jou kode is {code}.',
  'verification.voiceGoodbye': 'Totsiens.',
  'verification.emailSubject': 'Jou {name}-verifikasiekode',
  'verification.emailBody': 'Jou {name}-verifikasiekode is: {code}',
  'verification.emailExpiry': 'Hierdie kode verval oor {minutes} minute. As jy dit nie aangevra het nie, kan jy hierdie e-pos ignoreer.',
  'verification.psd2': 'Hierdie kode keur ’n betaling van {amount} aan {payee} goed.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} is jou verifikasiekode.',
  'verification.whatsappSecurity': 'Vir jou veiligheid, moenie hierdie kode deel nie.',
  'verification.whatsappExpiry': 'Hierdie kode verval oor {minutes} minute.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Druk 1 om die kode weer te hoor.',
  'voice.enterCode': 'Voer asseblief die kode in wat op jou skerm verskyn.',
  'voice.wrongCode': 'Daardie kode is nie korrek nie.',
  'voice.codeAccepted': 'Dankie. Jou telefoonnommer is geverifieer.',
  'voice.tooManyWrong': 'Te veel verkeerde kodes. Totsiens.',
  'voice.noInput': 'Ons het geen invoer ontvang nie.',
  'voice.approvePayment': 'Jy word gevra om ’n betaling van {amount} aan {payee} goed te keur.',
  'voice.approveSignIn': '’n Aanmelding by jou rekening wag vir jou goedkeuring.',
  'voice.pressOneToApprove': 'Druk 1 om goed te keur. Druk enige ander sleutel om te weier.',
  'voice.enterNumberToApprove': 'Om goed te keur, voer die twee syfers in wat op jou skerm verskyn. Om te weier, druk die sterretjie-sleutel.',
  'voice.approved': 'Goedgekeur. Dankie. Totsiens.',
  'voice.denied': 'Geweier. As dit nie jy was nie, verander asseblief jou wagwoord. Totsiens.',
  'voice.noLongerValid': 'Hierdie versoek is nie meer geldig nie. Totsiens.',
  'voice.flashAnswered': 'Hierdie oproep verifieer net jou telefoonnommer. Jy kan nou afsit. Totsiens.',
  'voice.sayPassPhrase': 'Sê jou wagfrase ná die piep.',
  'voice.sayItAgain': 'Dankie. Nog een keer, ná die piep.',
  'voice.recordAgain': 'Ons kon jou nie goed hoor nie. Probeer asseblief weer ná die piep.',
  'voice.voiceprintReady': 'Jou stemafdruk is gereed. Totsiens.',
  'voice.voiceMatched': 'Dankie. Jou stem is geverifieer. Totsiens.',
  'voice.voiceNotMatched': 'Jou stem het nie ooreengestem nie. Totsiens.',
};
