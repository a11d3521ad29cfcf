import type { MessageCatalog } from './catalog-types.ts';

/** Korean (polite register): the verification message and the call flows only (the hosted pages fall back to English). */
export const ko: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': '{name} 인증 코드는 {code}입니다',
  'verification.doNotShare': '이 코드를 누구와도 공유하지 마세요. 당사 직원은 절대 코드를 요구하지 않습니다.',
  'verification.voiceIntro': '안녕하세요. {name}입니다.',
  'verification.voiceCode': '인증 코드는 {code}입니다.',
  'verification.voiceRepeat': '다시 한번 말씀드립니다. 코드는 {code}입니다.',
  'verification.voiceGoodbye': '안녕히 계세요.',
  'verification.emailSubject': '{name} 인증 코드',
  'verification.emailBody': '{name} 인증 코드는 {code}입니다.',
  'verification.emailExpiry': '이 코드는 {minutes}분 후에 만료됩니다. 요청하지 않으셨다면 이 이메일을 무시하셔도 됩니다.',
  'verification.psd2': '이 코드는 {payee}에 대한 {amount} 결제를 승인합니다.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '인증 코드는 {code}입니다.',
  'verification.whatsappSecurity': '보안을 위해 이 코드를 공유하지 마세요.',
  'verification.whatsappExpiry': '이 코드는 {minutes}분 후에 만료됩니다.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': '코드를 다시 들으시려면 1번을 누르세요.',
  'voice.enterCode': '화면에 표시된 코드를 입력하세요.',
  'voice.wrongCode': '코드가 올바르지 않습니다.',
  'voice.codeAccepted': '감사합니다. 전화번호가 인증되었습니다.',
  'voice.tooManyWrong': '잘못된 코드를 너무 많이 입력하셨습니다. 안녕히 계세요.',
  'voice.noInput': '입력된 내용이 없습니다.',
  'voice.approvePayment': '{payee}에 대한 {amount} 결제 승인을 요청합니다.',
  'voice.approveSignIn': '회원님 계정의 로그인이 승인을 기다리고 있습니다.',
  'voice.pressOneToApprove': '승인하시려면 1번을, 거부하시려면 다른 아무 키나 누르세요.',
  'voice.enterNumberToApprove': '승인하시려면 화면에 표시된 두 자리 숫자를 입력하세요. 거부하시려면 별표 키를 누르세요.',
  'voice.approved': '승인되었습니다. 감사합니다. 안녕히 계세요.',
  'voice.denied': '거부되었습니다. 본인이 아니라면 비밀번호를 변경하세요. 안녕히 계세요.',
  'voice.noLongerValid': '이 요청은 더 이상 유효하지 않습니다. 안녕히 계세요.',
  'voice.flashAnswered': '이 전화는 전화번호 확인만을 위한 것입니다. 이제 전화를 끊으셔도 됩니다. 안녕히 계세요.',
  'voice.sayPassPhrase': '삐 소리가 나면 암호 문구를 말씀하세요.',
  'voice.sayItAgain': '감사합니다. 삐 소리가 나면 한 번 더 말씀하세요.',
  'voice.recordAgain': '잘 들리지 않았습니다. 삐 소리가 나면 다시 말씀해 주세요.',
  'voice.voiceprintReady': '성문 등록이 완료되었습니다. 안녕히 계세요.',
  'voice.voiceMatched': '감사합니다. 음성이 확인되었습니다. 안녕히 계세요.',
  'voice.voiceNotMatched': '음성이 일치하지 않습니다. 안녕히 계세요.',
};
