import type { MessageCatalog } from './catalog-types.ts';

/** Lithuanian: the verification message and the call flows only (the hosted pages fall back to English). */
export const lt: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Jūsų {name} patvirtinimo kodas: {code}',
  'verification.doNotShare': 'Niekam nesakykite šio kodo; mūsų darbuotojai niekada jo neprašys.',
  'verification.voiceIntro': 'Laba diena. Skambina {name}.',
  'verification.voiceCode': 'Jūsų patvirtinimo kodas yra {code}.',
  'verification.voiceRepeat': 'Dar kartą, jūsų kodas yra {code}.',
  'verification.voiceGoodbye': 'Viso gero.',
  'verification.emailSubject': 'Jūsų {name} patvirtinimo kodas',
  'verification.emailBody': 'Jūsų {name} patvirtinimo kodas: {code}',
  'verification.emailExpiry': 'Šis kodas galioja {minutes, plural, one {{minutes} minutę} few {{minutes} minutes} other {{minutes} minučių}}. Jei jo neprašėte, galite nekreipti dėmesio į šį laišką.',
  'verification.psd2': 'Šiuo kodu patvirtinamas {amount} mokėjimas gavėjui {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} yra jūsų patvirtinimo kodas.',
  'verification.whatsappSecurity': 'Saugumo sumetimais niekam nesakykite šio kodo.',
  'verification.whatsappExpiry': 'Šis kodas galioja {minutes, plural, one {{minutes} minutę} few {{minutes} minutes} other {{minutes} minučių}}.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Norėdami išgirsti kodą dar kartą, paspauskite 1.',
  'voice.enterCode': 'Įveskite ekrane rodomą kodą.',
  'voice.wrongCode': 'Šis kodas neteisingas.',
  'voice.codeAccepted': 'Ačiū. Jūsų telefono numeris patvirtintas.',
  'voice.tooManyWrong': 'Per daug neteisingų kodų. Viso gero.',
  'voice.noInput': 'Negavome jokios įvesties.',
  'voice.approvePayment': 'Prašome patvirtinti {amount} mokėjimą gavėjui {payee}.',
  'voice.approveSignIn': 'Prisijungimas prie jūsų paskyros laukia jūsų patvirtinimo.',
  'voice.pressOneToApprove': 'Norėdami patvirtinti, paspauskite 1. Norėdami atmesti, paspauskite bet kurį kitą klavišą.',
  'voice.enterNumberToApprove': 'Norėdami patvirtinti, įveskite du ekrane rodomus skaitmenis. Norėdami atmesti, paspauskite žvaigždutės klavišą.',
  'voice.approved': 'Patvirtinta. Ačiū. Viso gero.',
  'voice.denied': 'Atmesta. Jei tai buvote ne jūs, pakeiskite slaptažodį. Viso gero.',
  'voice.noLongerValid': 'Ši užklausa nebegalioja. Viso gero.',
  'voice.flashAnswered': 'Šis skambutis tik patvirtina jūsų telefono numerį. Dabar galite padėti ragelį. Viso gero.',
  'voice.sayPassPhrase': 'Po signalo pasakykite savo slaptafrazę.',
  'voice.sayItAgain': 'Ačiū. Dar kartą, po signalo.',
  'voice.recordAgain': 'Jūsų gerai negirdėjome. Bandykite dar kartą po signalo.',
  'voice.voiceprintReady': 'Jūsų balso atspaudas paruoštas. Viso gero.',
  'voice.voiceMatched': 'Ačiū. Jūsų balsas patvirtintas. Viso gero.',
  'voice.voiceNotMatched': 'Jūsų balsas nesutapo. Viso gero.',
};
