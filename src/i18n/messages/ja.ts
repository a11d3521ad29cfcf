import type { MessageCatalog } from './catalog-types.ts';

/** Japanese (polite register, no spaces between words): the verification message and the call flows only. */
export const ja: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': '{name}の認証コードは{code}です',
  'verification.doNotShare': 'このコードは誰にも教えないでください。当社の従業員がコードをお尋ねすることはありません。',
  'verification.voiceIntro': 'こんにちは。{name}です。',
  'verification.voiceCode': '認証コードは{code}です。',
  'verification.voiceRepeat': 'もう一度繰り返します。コードは{code}です。',
  'verification.voiceGoodbye': '失礼いたします。',
  'verification.emailSubject': '{name}の認証コード',
  'verification.emailBody': '{name}の認証コードは{code}です。',
  'verification.emailExpiry': 'このコードの有効期限は{minutes}分です。お心当たりのない場合は、このメールを破棄してください。',
  'verification.psd2': 'このコードで、{payee}への{amount}のお支払いが承認されます。',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code}は認証コードです。',
  'verification.whatsappSecurity': 'セキュリティのため、このコードは共有しないでください。',
  'verification.whatsappExpiry': 'このコードの有効期限は{minutes}分です。',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'コードをもう一度お聞きになるには、1を押してください。',
  'voice.enterCode': '画面に表示されているコードを入力してください。',
  'voice.wrongCode': 'コードが正しくありません。',
  'voice.codeAccepted': 'ありがとうございます。電話番号が確認されました。',
  'voice.tooManyWrong': '誤ったコードの入力が多すぎます。失礼いたします。',
  'voice.noInput': '入力が確認できませんでした。',
  'voice.approvePayment': '{payee}への{amount}のお支払いの承認をお願いします。',
  'voice.approveSignIn': 'お客様のアカウントへのサインインが承認を待っています。',
  'voice.pressOneToApprove': '承認するには1を、拒否するにはそれ以外のキーを押してください。',
  'voice.enterNumberToApprove': '承認するには、画面に表示されている2桁の数字を入力してください。拒否するには、米印のキーを押してください。',
  'voice.approved': '承認されました。ありがとうございました。失礼いたします。',
  'voice.denied': '拒否されました。お心当たりのない場合は、パスワードを変更してください。失礼いたします。',
  'voice.noLongerValid': 'このリクエストは無効になりました。失礼いたします。',
  'voice.flashAnswered': 'この通話は電話番号の確認のみを目的としています。電話をお切りください。失礼いたします。',
  'voice.sayPassPhrase': '発信音の後に、パスフレーズをお話しください。',
  'voice.sayItAgain': 'ありがとうございます。発信音の後に、もう一度お話しください。',
  'voice.recordAgain': 'よく聞き取れませんでした。発信音の後に、もう一度お試しください。',
  'voice.voiceprintReady': '声紋の登録が完了しました。失礼いたします。',
  'voice.voiceMatched': 'ありがとうございます。ご本人の声であることが確認されました。失礼いたします。',
  'voice.voiceNotMatched': '声が一致しませんでした。失礼いたします。',
};
