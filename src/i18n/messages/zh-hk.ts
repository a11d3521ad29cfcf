import type { MessageCatalog } from './catalog-types.ts';

/** Chinese (Traditional, Hong Kong terms): the verification message and the call flows only. */
export const zhHK: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': '您的{name}驗證碼是：{code}',
  'verification.doNotShare': '請勿將此驗證碼告訴任何人；我們的職員絕不會向您索取驗證碼。',
  'verification.voiceIntro': '您好，這裏是{name}。',
  'verification.voiceCode': '您的驗證碼是{code}。',
  'verification.voiceRepeat': '再重複一次，您的驗證碼是{code}。',
  'verification.voiceGoodbye': '再見。',
  'verification.emailSubject': '您的{name}驗證碼',
  'verification.emailBody': '您的{name}驗證碼是：{code}',
  'verification.emailExpiry': '此驗證碼將於{minutes}分鐘後失效。如非您本人提出要求，請忽略此電郵。',
  'verification.psd2': '此驗證碼用於批准向{payee}支付{amount}的款項。',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code}是您的驗證碼。',
  'verification.whatsappSecurity': '為保障您的安全，請勿與他人分享此驗證碼。',
  'verification.whatsappExpiry': '此驗證碼將於{minutes}分鐘後失效。',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': '如需再次收聽驗證碼，請按1。',
  'voice.enterCode': '請輸入螢幕上顯示的驗證碼。',
  'voice.wrongCode': '驗證碼不正確。',
  'voice.codeAccepted': '多謝。您的電話號碼已經驗證。',
  'voice.tooManyWrong': '錯誤次數過多。再見。',
  'voice.noInput': '我們沒有收到任何輸入。',
  'voice.approvePayment': '您需要批准一筆向{payee}支付{amount}的款項。',
  'voice.approveSignIn': '您的帳戶有一個登入要求正等待您批准。',
  'voice.pressOneToApprove': '批准請按1，拒絕請按任何其他鍵。',
  'voice.enterNumberToApprove': '如需批准，請輸入螢幕上顯示的兩位數字。如需拒絕，請按星號鍵。',
  'voice.approved': '已批准。多謝，再見。',
  'voice.denied': '已拒絕。如非您本人操作，請更改密碼。再見。',
  'voice.noLongerValid': '此要求已經失效。再見。',
  'voice.flashAnswered': '此來電只用於驗證您的電話號碼。您現在可以掛線。再見。',
  'voice.sayPassPhrase': '請在提示音後讀出您的通行短語。',
  'voice.sayItAgain': '多謝。請在提示音後再說一次。',
  'voice.recordAgain': '我們聽得不太清楚。請在提示音後再試一次。',
  'voice.voiceprintReady': '您的聲紋已準備就緒。再見。',
  'voice.voiceMatched': '多謝。您的聲音已通過驗證。再見。',
  'voice.voiceNotMatched': '您的聲音不符。再見。',
};
