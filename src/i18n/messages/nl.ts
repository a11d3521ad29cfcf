import type { MessageCatalog } from './catalog-types.ts';

/** Dutch: the verification message and the call flows only (the hosted pages fall back to English). */
export const nl: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Uw {name} verificatiecode is: {code}',
  'verification.doNotShare': 'Deel deze code met niemand; onze medewerkers zullen er nooit om vragen.',
  'verification.voiceIntro': 'Hallo. U spreekt met {name}.',
  'verification.voiceCode': 'Uw verificatiecode is {code}.',
  'verification.voiceRepeat': 'Nogmaals, uw code is {code}.',
  'verification.voiceGoodbye': 'Tot ziens.',
  'verification.emailSubject': 'Uw {name} verificatiecode',
  'verification.emailBody': 'Uw {name} verificatiecode is: {code}',
  'verification.emailExpiry': 'Deze code verloopt over {minutes} minuten. Heeft u hem niet aangevraagd, negeer dan deze e-mail.',
  'verification.psd2': 'Deze code keurt een betaling van {amount} aan {payee} goed.',
  'verification.whatsapp': '{code} is uw verificatiecode.',
  'verification.whatsappSecurity': 'Deel deze code voor uw veiligheid met niemand.',
  'verification.whatsappExpiry': 'Deze code verloopt over {minutes} minuten.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Druk op 1 om de code nog eens te horen.',
  'voice.enterCode': 'Voer de code in die op uw scherm staat.',
  'voice.wrongCode': 'Die code is niet juist.',
  'voice.codeAccepted': 'Dank u. Uw telefoonnummer is bevestigd.',
  'voice.tooManyWrong': 'Te veel verkeerde codes. Tot ziens.',
  'voice.noInput': 'We hebben geen invoer ontvangen.',
  'voice.approvePayment': 'U wordt gevraagd een betaling van {amount} aan {payee} goed te keuren.',
  'voice.approveSignIn': 'Een aanmelding op uw account wacht op uw goedkeuring.',
  'voice.pressOneToApprove': 'Druk op 1 om goed te keuren. Druk op een andere toets om te weigeren.',
  'voice.enterNumberToApprove': 'Voer de twee cijfers op uw scherm in om goed te keuren. Druk op het sterretje om te weigeren.',
  'voice.approved': 'Goedgekeurd. Dank u. Tot ziens.',
  'voice.denied': 'Geweigerd. Was u dit niet, wijzig dan uw wachtwoord. Tot ziens.',
  'voice.noLongerValid': 'Dit verzoek is niet meer geldig. Tot ziens.',
  'voice.flashAnswered': 'Deze oproep bevestigt alleen uw nummer. U kunt nu ophangen. Tot ziens.',
  'voice.sayPassPhrase': 'Zeg na de piep uw wachtzin.',
  'voice.sayItAgain': 'Dank u. Nog een keer, na de piep.',
  'voice.recordAgain': 'We konden u niet goed verstaan. Probeer het opnieuw na de piep.',
  'voice.voiceprintReady': 'Uw stemafdruk is klaar. Tot ziens.',
  'voice.voiceMatched': 'Dank u. Uw stem is bevestigd. Tot ziens.',
  'voice.voiceNotMatched': 'Uw stem komt niet overeen. Tot ziens.',
};
