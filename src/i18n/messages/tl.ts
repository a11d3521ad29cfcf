import type { MessageCatalog } from './catalog-types.ts';

/** Tagalog (Filipino): the verification message and the call flows only (the hosted pages fall back to English). */
export const tl: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Ang iyong {name} verification code ay: {code}',
  'verification.doNotShare': 'Huwag ibahagi ang code na ito kahit kanino; hindi kailanman hihingin ng aming mga empleyado ang code.',
  'verification.voiceIntro': 'Magandang araw. Ito ang {name}.',
  'verification.voiceCode': 'Ang iyong verification code ay {code}.',
  'verification.voiceRepeat': 'Muli, ang iyong code ay {code}.',
  'verification.voiceGoodbye': 'Paalam.',
  'verification.emailSubject': 'Ang iyong {name} verification code',
  'verification.emailBody': 'Ang iyong {name} verification code ay: {code}',
  'verification.emailExpiry': 'Mag-e-expire ang code na ito sa loob ng {minutes} minuto. Kung hindi mo ito hiniling, maaari mong balewalain ang email na ito.',
  'verification.psd2': 'Inaaprubahan ng code na ito ang bayad na {amount} para sa {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': 'Ang {code} ay ang iyong verification code.',
  'verification.whatsappSecurity': 'Para sa iyong seguridad, huwag ibahagi ang code na ito.',
  'verification.whatsappExpiry': 'Mag-e-expire ang code na ito sa loob ng {minutes} minuto.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Para marinig muli ang code, pindutin ang 1.',
  'voice.enterCode': 'Pakilagay ang code na nakikita sa iyong screen.',
  'voice.wrongCode': 'Hindi tama ang code na iyon.',
  'voice.codeAccepted': 'Salamat. Na-verify na ang iyong numero ng telepono.',
  'voice.tooManyWrong': 'Masyadong maraming maling code. Paalam.',
  'voice.noInput': 'Wala kaming natanggap na input.',
  'voice.approvePayment': 'Hinihiling sa iyo na aprubahan ang bayad na {amount} para sa {payee}.',
  'voice.approveSignIn': 'May pag-sign in sa iyong account na naghihintay ng iyong pag-apruba.',
  'voice.pressOneToApprove': 'Para aprubahan, pindutin ang 1. Para tanggihan, pindutin ang anumang ibang key.',
  'voice.enterNumberToApprove': 'Para aprubahan, ilagay ang dalawang numerong nakikita sa iyong screen. Para tanggihan, pindutin ang star key.',
  'voice.approved': 'Naaprubahan. Salamat. Paalam.',
  'voice.denied': 'Tinanggihan. Kung hindi ikaw ito, palitan ang iyong password. Paalam.',
  'voice.noLongerValid': 'Hindi na balido ang kahilingang ito. Paalam.',
  'voice.flashAnswered': 'Bine-verify lamang ng tawag na ito ang iyong numero ng telepono. Maaari mo nang ibaba ang telepono. Paalam.',
  'voice.sayPassPhrase': 'Pagkatapos ng beep, sabihin ang iyong passphrase.',
  'voice.sayItAgain': 'Salamat. Isa pang beses, pagkatapos ng beep.',
  'voice.recordAgain': 'Hindi ka namin marinig nang maayos. Pakisubukang muli pagkatapos ng beep.',
  'voice.voiceprintReady': 'Handa na ang iyong voiceprint. Paalam.',
  'voice.voiceMatched': 'Salamat. Na-verify na ang iyong boses. Paalam.',
  'voice.voiceNotMatched': 'Hindi tumugma ang iyong boses. Paalam.',
};
