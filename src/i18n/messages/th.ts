import type { MessageCatalog } from './catalog-types.ts';

/** Thai (no spaces between words; a space ends a sentence): the verification message and the call flows only. */
export const th: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'รหัสยืนยัน {name} ของคุณคือ {code}',
  'verification.doNotShare': 'ห้ามแชร์รหัสนี้กับผู้ใด พนักงานของเราจะไม่ขอรหัสนี้จากคุณ',
  'verification.voiceIntro': 'สวัสดี ที่นี่คือ {name}',
  'verification.voiceCode': 'รหัสยืนยันของคุณคือ {code}',
  'verification.voiceRepeat': 'ขอทวนอีกครั้ง รหัสของคุณคือ {code}',
  'verification.voiceGoodbye': 'สวัสดี',
  'verification.emailSubject': 'รหัสยืนยัน {name} ของคุณ',
  'verification.emailBody': 'รหัสยืนยัน {name} ของคุณคือ {code}',
  'verification.emailExpiry': 'รหัสนี้จะหมดอายุใน {minutes} นาที หากคุณไม่ได้ขอรหัสนี้ คุณสามารถเพิกเฉยต่ออีเมลนี้ได้',
  'verification.psd2': 'รหัสนี้ใช้อนุมัติการชำระเงิน {amount} ให้แก่ {payee}',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} คือรหัสยืนยันของคุณ',
  'verification.whatsappSecurity': 'เพื่อความปลอดภัยของคุณ โปรดอย่าแชร์รหัสนี้',
  'verification.whatsappExpiry': 'รหัสนี้จะหมดอายุใน {minutes} นาที',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'หากต้องการฟังรหัสอีกครั้ง กด 1',
  'voice.enterCode': 'โปรดป้อนรหัสที่แสดงบนหน้าจอของคุณ',
  'voice.wrongCode': 'รหัสไม่ถูกต้อง',
  'voice.codeAccepted': 'ขอบคุณ หมายเลขโทรศัพท์ของคุณได้รับการยืนยันแล้ว',
  'voice.tooManyWrong': 'ป้อนรหัสผิดหลายครั้งเกินไป สวัสดี',
  'voice.noInput': 'เราไม่ได้รับการป้อนข้อมูลใดๆ',
  'voice.approvePayment': 'คุณได้รับคำขอให้อนุมัติการชำระเงิน {amount} ให้แก่ {payee}',
  'voice.approveSignIn': 'มีการลงชื่อเข้าใช้บัญชีของคุณที่รอการอนุมัติจากคุณ',
  'voice.pressOneToApprove': 'หากต้องการอนุมัติ กด 1 หากต้องการปฏิเสธ กดปุ่มอื่นใดก็ได้',
  'voice.enterNumberToApprove': 'หากต้องการอนุมัติ ให้ป้อนตัวเลขสองหลักที่แสดงบนหน้าจอของคุณ หากต้องการปฏิเสธ กดปุ่มดอกจัน',
  'voice.approved': 'อนุมัติแล้ว ขอบคุณ สวัสดี',
  'voice.denied': 'ปฏิเสธแล้ว หากไม่ใช่คุณ โปรดเปลี่ยนรหัสผ่าน สวัสดี',
  'voice.noLongerValid': 'คำขอนี้ใช้ไม่ได้อีกต่อไป สวัสดี',
  'voice.flashAnswered': 'การโทรนี้เป็นการยืนยันหมายเลขโทรศัพท์ของคุณเท่านั้น คุณวางสายได้เลย สวัสดี',
  'voice.sayPassPhrase': 'หลังเสียงสัญญาณ โปรดพูดวลีรหัสผ่านของคุณ',
  'voice.sayItAgain': 'ขอบคุณ พูดอีกครั้งหลังเสียงสัญญาณ',
  'voice.recordAgain': 'เราได้ยินคุณไม่ชัด โปรดลองอีกครั้งหลังเสียงสัญญาณ',
  'voice.voiceprintReady': 'ลายเสียงของคุณพร้อมใช้งานแล้ว สวัสดี',
  'voice.voiceMatched': 'ขอบคุณ เสียงของคุณได้รับการยืนยันแล้ว สวัสดี',
  'voice.voiceNotMatched': 'เสียงของคุณไม่ตรงกัน สวัสดี',
};
