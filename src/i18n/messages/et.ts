import type { MessageCatalog } from './catalog-types.ts';

/** Estonian: the verification message and the call flows only (the hosted pages fall back to English). */
export const et: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Sinu {name} kinnituskood on: {code}',
  'verification.doNotShare': 'Ära jaga seda koodi kellegagi; meie töötajad ei küsi sinult kunagi koodi.',
  'verification.voiceIntro': 'Tere. Siin {name}.',
  'verification.voiceCode': 'Sinu kinnituskood on {code}.',
  'verification.voiceRepeat': 'Veel kord, sinu kood on {code}.',
  'verification.voiceGoodbye': 'Head aega.',
  'verification.emailSubject': 'Sinu {name} kinnituskood',
  'verification.emailBody': 'Sinu {name} kinnituskood on: {code}',
  'verification.emailExpiry': 'See kood aegub {minutes} minuti pärast. Kui sa seda ei taotlenud, võid selle e-kirja tähelepanuta jätta.',
  'verification.psd2': 'See kood kinnitab makse summas {amount} saajale {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} on sinu kinnituskood.',
  'verification.whatsappSecurity': 'Oma turvalisuse huvides ära jaga seda koodi.',
  'verification.whatsappExpiry': 'See kood aegub {minutes} minuti pärast.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Koodi uuesti kuulamiseks vajuta 1.',
  'voice.enterCode': 'Sisesta ekraanil kuvatud kood.',
  'voice.wrongCode': 'See kood ei ole õige.',
  'voice.codeAccepted': 'Aitäh. Sinu telefoninumber on kinnitatud.',
  'voice.tooManyWrong': 'Liiga palju valesid koode. Head aega.',
  'voice.noInput': 'Me ei saanud sinult ühtegi sisestust.',
  'voice.approvePayment': 'Sul palutakse kinnitada makse summas {amount} saajale {payee}.',
  'voice.approveSignIn': 'Sisselogimine sinu kontole ootab sinu kinnitust.',
  'voice.pressOneToApprove': 'Kinnitamiseks vajuta 1. Keeldumiseks vajuta mis tahes muud klahvi.',
  'voice.enterNumberToApprove': 'Kinnitamiseks sisesta ekraanil kuvatud kaks numbrit. Keeldumiseks vajuta tärniklahvi.',
  'voice.approved': 'Kinnitatud. Aitäh. Head aega.',
  'voice.denied': 'Tagasi lükatud. Kui see polnud sina, muuda palun oma parooli. Head aega.',
  'voice.noLongerValid': 'See taotlus ei kehti enam. Head aega.',
  'voice.flashAnswered': 'See kõne kinnitab ainult sinu telefoninumbrit. Võid nüüd kõne lõpetada. Head aega.',
  'voice.sayPassPhrase': 'Pärast piiksu ütle oma paroolifraas.',
  'voice.sayItAgain': 'Aitäh. Veel kord, pärast piiksu.',
  'voice.recordAgain': 'Me ei kuulnud sind hästi. Proovi pärast piiksu uuesti.',
  'voice.voiceprintReady': 'Sinu hääljälg on valmis. Head aega.',
  'voice.voiceMatched': 'Aitäh. Sinu hääl on kinnitatud. Head aega.',
  'voice.voiceNotMatched': 'Sinu hääl ei ühtinud. Head aega.',
};
