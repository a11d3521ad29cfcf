import type { MessageCatalog } from './catalog-types.ts';

/** Czech: the verification message and the call flows only (the hosted pages fall back to English). */
export const cs: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Váš ověřovací kód pro {name} je: {code}',
  'verification.doNotShare': 'Tento kód nikomu nesdělujte; naši zaměstnanci vás o něj nikdy nepožádají.',
  'verification.voiceIntro': 'Dobrý den. Tady {name}.',
  'verification.voiceCode': 'Váš ověřovací kód je {code}.',
  'verification.voiceRepeat': 'Ještě jednou, váš kód je {code}.',
  'verification.voiceGoodbye': 'Na shledanou.',
  'verification.emailSubject': 'Váš ověřovací kód pro {name}',
  'verification.emailBody': 'Váš ověřovací kód pro {name} je: {code}',
  'verification.emailExpiry': 'Platnost tohoto kódu vyprší za {minutes, plural, one {{minutes} minutu} few {{minutes} minuty} other {{minutes} minut}}. Pokud jste o něj nežádali, můžete tento e-mail ignorovat.',
  'verification.psd2': 'Tento kód schvaluje platbu {amount} příjemci {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} je váš ověřovací kód.',
  'verification.whatsappSecurity': 'Z bezpečnostních důvodů tento kód nikomu nesdělujte.',
  'verification.whatsappExpiry': 'Platnost tohoto kódu vyprší za {minutes, plural, one {{minutes} minutu} few {{minutes} minuty} other {{minutes} minut}}.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Chcete-li kód slyšet znovu, stiskněte 1.',
  'voice.enterCode': 'Zadejte prosím kód zobrazený na obrazovce.',
  'voice.wrongCode': 'Tento kód není správný.',
  'voice.codeAccepted': 'Děkujeme. Vaše telefonní číslo je ověřeno.',
  'voice.tooManyWrong': 'Příliš mnoho chybných kódů. Na shledanou.',
  'voice.noInput': 'Neobdrželi jsme žádný vstup.',
  'voice.approvePayment': 'Žádáme vás o schválení platby {amount} příjemci {payee}.',
  'voice.approveSignIn': 'Přihlášení k vašemu účtu čeká na vaše schválení.',
  'voice.pressOneToApprove': 'Pro schválení stiskněte 1. Pro zamítnutí stiskněte jakoukoli jinou klávesu.',
  'voice.enterNumberToApprove': 'Pro schválení zadejte dvě číslice zobrazené na obrazovce. Pro zamítnutí stiskněte klávesu hvězdička.',
  'voice.approved': 'Schváleno. Děkujeme. Na shledanou.',
  'voice.denied': 'Zamítnuto. Pokud jste to nebyli vy, změňte si prosím heslo. Na shledanou.',
  'voice.noLongerValid': 'Tento požadavek již není platný. Na shledanou.',
  'voice.flashAnswered': 'Tento hovor pouze ověřuje vaše telefonní číslo. Nyní můžete zavěsit. Na shledanou.',
  'voice.sayPassPhrase': 'Po pípnutí řekněte svou přístupovou frázi.',
  'voice.sayItAgain': 'Děkujeme. Ještě jednou, po pípnutí.',
  'voice.recordAgain': 'Neslyšeli jsme vás dobře. Zkuste to prosím znovu po pípnutí.',
  'voice.voiceprintReady': 'Váš hlasový otisk je připraven. Na shledanou.',
  'voice.voiceMatched': 'Děkujeme. Váš hlas je ověřen. Na shledanou.',
  'voice.voiceNotMatched': 'Váš hlas se neshoduje. Na shledanou.',
};
