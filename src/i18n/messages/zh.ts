import type { MessageCatalog } from './catalog-types.ts';

/** Chinese (Simplified, mainland terms): the verification message and the call flows for `zh` and `zh-CN` only. */
export const zh: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': '您的{name}验证码是：{code}',
  'verification.doNotShare': '请勿将此验证码告诉任何人；我们的员工绝不会向您索要验证码。',
  'verification.voiceIntro': '您好，这里是{name}。',
  'verification.voiceCode': '您的验证码是{code}。',
  'verification.voiceRepeat': '再重复一遍，您的验证码是{code}。',
  'verification.voiceGoodbye': '再见。',
  'verification.emailSubject': '您的{name}验证码',
  'verification.emailBody': '您的{name}验证码是：{code}',
  'verification.emailExpiry': '此验证码将在{minutes}分钟后失效。如果这不是您本人的请求，请忽略此邮件。',
  'verification.psd2': '此验证码用于批准向{payee}支付{amount}的付款。',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code}是您的验证码。',
  'verification.whatsappSecurity': '为了您的安全，请勿泄露此验证码。',
  'verification.whatsappExpiry': '此验证码将在{minutes}分钟后失效。',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': '如需再次收听验证码，请按1。',
  'voice.enterCode': '请输入屏幕上显示的验证码。',
  'voice.wrongCode': '验证码不正确。',
  'voice.codeAccepted': '谢谢。您的电话号码已通过验证。',
  'voice.tooManyWrong': '错误次数过多。再见。',
  'voice.noInput': '我们没有收到任何输入。',
  'voice.approvePayment': '您需要批准一笔向{payee}支付{amount}的付款。',
  'voice.approveSignIn': '您的账户有一个登录请求正在等待您的批准。',
  'voice.pressOneToApprove': '批准请按1，拒绝请按其他任意键。',
  'voice.enterNumberToApprove': '如需批准，请输入屏幕上显示的两位数字。如需拒绝，请按星号键。',
  'voice.approved': '已批准。谢谢，再见。',
  'voice.denied': '已拒绝。如果这不是您本人的操作，请更改密码。再见。',
  'voice.noLongerValid': '此请求已失效。再见。',
  'voice.flashAnswered': '本次来电仅用于验证您的电话号码。您现在可以挂断。再见。',
  'voice.sayPassPhrase': '请在提示音后说出您的口令短语。',
  'voice.sayItAgain': '谢谢。请在提示音后再说一遍。',
  'voice.recordAgain': '我们没有听清楚。请在提示音后重试。',
  'voice.voiceprintReady': '您的声纹已准备就绪。再见。',
  'voice.voiceMatched': '谢谢。您的声音已通过验证。再见。',
  'voice.voiceNotMatched': '您的声音不匹配。再见。',
};
