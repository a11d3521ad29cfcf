import type { MessageCatalog } from './catalog-types.ts';

/** Croatian: the verification message and the call flows only (the hosted pages fall back to English). */
export const hr: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Vaš kôd za provjeru za {name} je: {code}',
  'verification.doNotShare': 'Ne dijelite ovaj kôd ni s kim; naši zaposlenici nikada neće tražiti kôd.',
  'verification.voiceIntro': 'Dobar dan. Ovdje {name}.',
  'verification.voiceCode': 'Vaš kôd za provjeru je {code}.',
  'verification.voiceRepeat': 'Još jednom, vaš kôd je {code}.',
  'verification.voiceGoodbye': 'Doviđenja.',
  'verification.emailSubject': 'Vaš kôd za provjeru za {name}',
  'verification.emailBody': 'Vaš kôd za provjeru za {name} je: {code}',
  'verification.emailExpiry': 'Ovaj kôd istječe za {minutes, plural, one {{minutes} minutu} few {{minutes} minute} other {{minutes} minuta}}. Ako ga niste zatražili, možete zanemariti ovu poruku.',
  'verification.psd2': 'Ovaj kôd odobrava plaćanje od {amount} primatelju {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} je vaš kôd za provjeru.',
  'verification.whatsappSecurity': 'Radi vaše sigurnosti, ne dijelite ovaj kôd.',
  'verification.whatsappExpiry': 'Ovaj kôd istječe za {minutes, plural, one {{minutes} minutu} few {{minutes} minute} other {{minutes} minuta}}.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Za ponovno slušanje koda pritisnite 1.',
  'voice.enterCode': 'Unesite kôd prikazan na zaslonu.',
  'voice.wrongCode': 'Taj kôd nije točan.',
  'voice.codeAccepted': 'Hvala. Vaš broj telefona je potvrđen.',
  'voice.tooManyWrong': 'Previše pogrešnih kodova. Doviđenja.',
  'voice.noInput': 'Nismo primili nikakav unos.',
  'voice.approvePayment': 'Od vas se traži da odobrite plaćanje od {amount} primatelju {payee}.',
  'voice.approveSignIn': 'Prijava na vaš račun čeka vaše odobrenje.',
  'voice.pressOneToApprove': 'Za odobrenje pritisnite 1. Za odbijanje pritisnite bilo koju drugu tipku.',
  'voice.enterNumberToApprove': 'Za odobrenje unesite dvije znamenke prikazane na zaslonu. Za odbijanje pritisnite tipku zvjezdica.',
  'voice.approved': 'Odobreno. Hvala. Doviđenja.',
  'voice.denied': 'Odbijeno. Ako to niste bili vi, promijenite lozinku. Doviđenja.',
  'voice.noLongerValid': 'Ovaj zahtjev više nije valjan. Doviđenja.',
  'voice.flashAnswered': 'Ovaj poziv samo potvrđuje vaš broj telefona. Sada možete prekinuti poziv. Doviđenja.',
  'voice.sayPassPhrase': 'Nakon zvučnog signala izgovorite svoju pristupnu frazu.',
  'voice.sayItAgain': 'Hvala. Još jednom, nakon zvučnog signala.',
  'voice.recordAgain': 'Nismo vas dobro čuli. Pokušajte ponovno nakon zvučnog signala.',
  'voice.voiceprintReady': 'Vaš glasovni otisak je spreman. Doviđenja.',
  'voice.voiceMatched': 'Hvala. Vaš glas je potvrđen. Doviđenja.',
  'voice.voiceNotMatched': 'Vaš glas se ne podudara. Doviđenja.',
};
