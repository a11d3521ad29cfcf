import type { MessageCatalog } from './catalog-types.ts';

/** Norwegian (Bokmål): the verification message and the call flows only (the hosted pages fall back to English). */
export const nb: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Din bekreftelseskode for {name} er: {code}',
  'verification.doNotShare': 'Ikke del denne koden med noen; våre ansatte vil aldri be om koden.',
  'verification.voiceIntro': 'Hei. Dette er {name}.',
  'verification.voiceCode': 'Bekreftelseskoden din er {code}.',
  'verification.voiceRepeat': 'Én gang til, koden din er {code}.',
  'verification.voiceGoodbye': 'Ha det.',
  'verification.emailSubject': 'Din bekreftelseskode for {name}',
  'verification.emailBody': 'Din bekreftelseskode for {name} er: {code}',
  'verification.emailExpiry': 'Denne koden utløper om {minutes} minutter. Hvis du ikke ba om den, kan du se bort fra denne e-posten.',
  'verification.psd2': 'Denne koden godkjenner en betaling på {amount} til {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} er bekreftelseskoden din.',
  'verification.whatsappSecurity': 'Av hensyn til sikkerheten din må du ikke dele denne koden.',
  'verification.whatsappExpiry': 'Denne koden utløper om {minutes} minutter.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Trykk 1 for å høre koden igjen.',
  'voice.enterCode': 'Tast inn koden som vises på skjermen din.',
  'voice.wrongCode': 'Den koden er ikke riktig.',
  'voice.codeAccepted': 'Takk. Telefonnummeret ditt er bekreftet.',
  'voice.tooManyWrong': 'For mange feil koder. Ha det.',
  'voice.noInput': 'Vi mottok ingen inntasting.',
  'voice.approvePayment': 'Du blir bedt om å godkjenne en betaling på {amount} til {payee}.',
  'voice.approveSignIn': 'En pålogging på kontoen din venter på godkjenningen din.',
  'voice.pressOneToApprove': 'Trykk 1 for å godkjenne. Trykk en hvilken som helst annen tast for å avvise.',
  'voice.enterNumberToApprove': 'For å godkjenne, tast inn de to sifrene som vises på skjermen din. For å avvise, trykk på stjernetasten.',
  'voice.approved': 'Godkjent. Takk. Ha det.',
  'voice.denied': 'Avvist. Hvis dette ikke var deg, bør du endre passordet ditt. Ha det.',
  'voice.noLongerValid': 'Denne forespørselen er ikke lenger gyldig. Ha det.',
  'voice.flashAnswered': 'Denne samtalen bekrefter bare telefonnummeret ditt. Du kan legge på nå. Ha det.',
  'voice.sayPassPhrase': 'Si passordfrasen din etter pipetonen.',
  'voice.sayItAgain': 'Takk. Én gang til, etter pipetonen.',
  'voice.recordAgain': 'Vi hørte deg ikke tydelig. Prøv igjen etter pipetonen.',
  'voice.voiceprintReady': 'Stemmeavtrykket ditt er klart. Ha det.',
  'voice.voiceMatched': 'Takk. Stemmen din er bekreftet. Ha det.',
  'voice.voiceNotMatched': 'Stemmen din stemte ikke overens. Ha det.',
};
