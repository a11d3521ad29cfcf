import type { MessageCatalog } from './catalog-types.ts';

/** Finnish: the verification message and the call flows only (the hosted pages fall back to English). */
export const fi: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Palvelun {name} vahvistuskoodisi on: {code}',
  'verification.doNotShare': 'Älä jaa tätä koodia kenenkään kanssa; työntekijämme eivät koskaan kysy koodia.',
  'verification.voiceIntro': 'Hei. Täällä {name}.',
  'verification.voiceCode': 'Vahvistuskoodisi on {code}.',
  'verification.voiceRepeat': 'Vielä kerran, koodisi on {code}.',
  'verification.voiceGoodbye': 'Näkemiin.',
  'verification.emailSubject': 'Palvelun {name} vahvistuskoodisi',
  'verification.emailBody': 'Palvelun {name} vahvistuskoodisi on: {code}',
  'verification.emailExpiry': 'Tämä koodi vanhenee {minutes} minuutin kuluttua. Jos et pyytänyt sitä, voit jättää tämän viestin huomiotta.',
  'verification.psd2': 'Tällä koodilla hyväksyt {amount} maksun saajalle {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} on vahvistuskoodisi.',
  'verification.whatsappSecurity': 'Turvallisuutesi vuoksi älä jaa tätä koodia.',
  'verification.whatsappExpiry': 'Tämä koodi vanhenee {minutes} minuutin kuluttua.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Kuullaksesi koodin uudelleen paina 1.',
  'voice.enterCode': 'Syötä näytölläsi näkyvä koodi.',
  'voice.wrongCode': 'Koodi ei ole oikein.',
  'voice.codeAccepted': 'Kiitos. Puhelinnumerosi on vahvistettu.',
  'voice.tooManyWrong': 'Liian monta väärää koodia. Näkemiin.',
  'voice.noInput': 'Emme saaneet syötettä.',
  'voice.approvePayment': 'Sinua pyydetään hyväksymään {amount} maksu saajalle {payee}.',
  'voice.approveSignIn': 'Kirjautuminen tilillesi odottaa hyväksyntääsi.',
  'voice.pressOneToApprove': 'Hyväksy painamalla 1. Hylkää painamalla mitä tahansa muuta näppäintä.',
  'voice.enterNumberToApprove': 'Hyväksy syöttämällä näytölläsi näkyvät kaksi numeroa. Hylkää painamalla tähtinäppäintä.',
  'voice.approved': 'Hyväksytty. Kiitos. Näkemiin.',
  'voice.denied': 'Hylätty. Jos tämä et ollut sinä, vaihda salasanasi. Näkemiin.',
  'voice.noLongerValid': 'Tämä pyyntö ei ole enää voimassa. Näkemiin.',
  'voice.flashAnswered': 'Tämä puhelu vain vahvistaa puhelinnumerosi. Voit nyt sulkea puhelun. Näkemiin.',
  'voice.sayPassPhrase': 'Sano tunnuslauseesi äänimerkin jälkeen.',
  'voice.sayItAgain': 'Kiitos. Vielä kerran, äänimerkin jälkeen.',
  'voice.recordAgain': 'Emme kuulleet sinua kunnolla. Yritä uudelleen äänimerkin jälkeen.',
  'voice.voiceprintReady': 'Äänijälkesi on valmis. Näkemiin.',
  'voice.voiceMatched': 'Kiitos. Äänesi on vahvistettu. Näkemiin.',
  'voice.voiceNotMatched': 'Äänesi ei täsmännyt. Näkemiin.',
};
