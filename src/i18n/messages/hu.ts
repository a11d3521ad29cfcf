import type { MessageCatalog } from './catalog-types.ts';

/** Hungarian: the verification message and the call flows only (the hosted pages fall back to English). */
export const hu: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Az Ön {name} ellenőrző kódja: {code}',
  'verification.doNotShare': 'Ne ossza meg ezt a kódot senkivel; munkatársaink soha nem fogják elkérni.',
  'verification.voiceIntro': 'Jó napot kívánunk. Itt {name}.',
  'verification.voiceCode': 'Az Ön ellenőrző kódja: {code}.',
  'verification.voiceRepeat': 'Még egyszer: az Ön kódja {code}.',
  'verification.voiceGoodbye': 'Viszonthallásra.',
  'verification.emailSubject': 'Az Ön {name} ellenőrző kódja',
  'verification.emailBody': 'Az Ön {name} ellenőrző kódja: {code}',
  'verification.emailExpiry': 'Ez a kód {minutes} perc múlva lejár. Ha nem Ön kérte, hagyja figyelmen kívül ezt az e-mailt.',
  'verification.psd2': 'Ez a kód jóváhagy egy {amount} összegű fizetést a(z) {payee} részére.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} – ez az Ön ellenőrző kódja.',
  'verification.whatsappSecurity': 'Biztonsága érdekében ne ossza meg ezt a kódot.',
  'verification.whatsappExpiry': 'Ez a kód {minutes} perc múlva lejár.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'A kód újbóli meghallgatásához nyomja meg az 1-es gombot.',
  'voice.enterCode': 'Kérjük, adja meg a képernyőn látható kódot.',
  'voice.wrongCode': 'Ez a kód nem megfelelő.',
  'voice.codeAccepted': 'Köszönjük. Telefonszámát ellenőriztük.',
  'voice.tooManyWrong': 'Túl sok hibás kód. Viszonthallásra.',
  'voice.noInput': 'Nem kaptunk bevitelt.',
  'voice.approvePayment': 'Kérjük, hagyja jóvá a(z) {payee} részére történő {amount} összegű fizetést.',
  'voice.approveSignIn': 'Egy bejelentkezés a fiókjába az Ön jóváhagyására vár.',
  'voice.pressOneToApprove': 'Jóváhagyáshoz nyomja meg az 1-es gombot. Elutasításhoz nyomjon meg bármely más gombot.',
  'voice.enterNumberToApprove': 'Jóváhagyáshoz írja be a képernyőn látható két számjegyet. Elutasításhoz nyomja meg a csillag gombot.',
  'voice.approved': 'Jóváhagyva. Köszönjük. Viszonthallásra.',
  'voice.denied': 'Elutasítva. Ha nem Ön volt, kérjük, változtassa meg a jelszavát. Viszonthallásra.',
  'voice.noLongerValid': 'Ez a kérés már nem érvényes. Viszonthallásra.',
  'voice.flashAnswered': 'Ez a hívás csak a telefonszámát ellenőrzi. Most már leteheti. Viszonthallásra.',
  'voice.sayPassPhrase': 'A sípszó után mondja el a jelmondatát.',
  'voice.sayItAgain': 'Köszönjük. Még egyszer, a sípszó után.',
  'voice.recordAgain': 'Nem hallottuk jól. Kérjük, próbálja újra a sípszó után.',
  'voice.voiceprintReady': 'A hangmintája elkészült. Viszonthallásra.',
  'voice.voiceMatched': 'Köszönjük. A hangját ellenőriztük. Viszonthallásra.',
  'voice.voiceNotMatched': 'A hangja nem egyezett. Viszonthallásra.',
};
